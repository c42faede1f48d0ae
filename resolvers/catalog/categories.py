"""Categories: the tree, read once, and the active products in each."""

from __future__ import annotations

from dataclasses import dataclass

from models.catalog import Category, CategoryCount


async def categories() -> list[Category]:
    return await Category.all().order_by("position", "id")


@dataclass(frozen=True)
class CategoryTree:
    by_id: dict[int, Category]
    by_slug: dict[str, Category]

    def with_children(self, slugs: list[str]) -> list[int]:
        """Ids of the categories named by `slugs` and of their children; unknown slugs add none."""
        wanted = {self.by_slug[s].id for s in slugs if s in self.by_slug}
        return sorted(c.id for c in self.by_id.values() if {c.id, c.parent_id} & wanted)


_tree: CategoryTree | None = None


async def category_tree() -> CategoryTree:
    """Categories change only with migrations, so they are read once."""
    global _tree
    if _tree is None:
        every = await categories()
        _tree = CategoryTree({c.id: c for c in every}, {c.slug: c for c in every})
    return _tree


async def categories_by_ids(ids: list[int]) -> list[Category | None]:
    tree = await category_tree()
    return [tree.by_id.get(i) for i in ids]


async def active_product_counts(category_ids: list[int]) -> list[int]:
    """Active products in each category, its subcategories included: one read of the
    categories' tallies (`CategoryCount`, exact at every moment)."""
    tree = await category_tree()
    counted = {
        i: tree.with_children([tree.by_id[i].slug]) if i in tree.by_id else [] for i in category_ids
    }
    every = sorted({i for ids in counted.values() for i in ids})
    per_category = dict(
        await CategoryCount.filter(category_id__in=every).values_list("category_id", "active")
        if every
        else []
    )
    return [sum(per_category.get(i, 0) for i in counted[c]) for c in category_ids]
