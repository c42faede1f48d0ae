"""PostgreSQL reads `search_product` without parallel workers (issue 30).

A search reads a page of about twenty rows, mostly by walking an index newest first until the
page is full (`resolvers.search.relevance`, `walks`). On a large catalogue the planner
priced such walks as parallel index scans, and starting the workers and merging their rows
(Gather Merge) cost 5-10 ms before the first row on two cores: more than the walk itself. A
rare word's page at 1,000,000 products took 12 ms so and 3.5 ms serially; serial costs also
let the planner prefer a word's few rows from its index to a parallel walk that reads most of
the table (a typo corrected to a word in no names: 190 ms -> under 9 ms at the p95). Under
many concurrent searches on two cores, parallel workers only take the cores of the other
requests. SQLite has no parallel scans: nothing to do there.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops


async def serial(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script("ALTER TABLE search_product SET (parallel_workers = 0);")


async def parallel(apps, schema_editor) -> None:
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script("ALTER TABLE search_product RESET (parallel_workers);")


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0044_outbox_sms_channel")]

    initial = False

    operations = [ops.RunPython(serial, parallel)]
