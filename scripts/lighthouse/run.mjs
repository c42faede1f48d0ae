// Lighthouse (mobile preset) on the storefront's public pages; writes the four categories'
// scores to docs/lighthouse.md and one JSON summary per page to docs/lighthouse/.
//   node scripts/lighthouse/run.mjs http://127.0.0.1:8001 /toko/<slug> /produk/<slug> [--min 95]
import fs from "node:fs";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [base, shop, product, ...rest] = process.argv.slice(2);
const min = rest[0] === "--min" ? Number(rest[1]) : 0;
const docs = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../docs");
const pages = [
  ["beranda", "/"],
  ["cari", "/cari?q=keripik"],
  ["toko", shop],
  ["produk", product],
  ["koperasi", "/koperasi"],
  ["kota", "/kota"],
];
const categories = ["performance", "accessibility", "best-practices", "seo"];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const rows = [];
let failed = false;
try {
  for (const [name, page] of pages) {
    const result = await lighthouse(base + page, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: categories,
    });
    const lhr = result.lhr;
    const scores = Object.fromEntries(
      categories.map((id) => [id, Math.round(lhr.categories[id].score * 100)]),
    );
    const below = Object.values(lhr.audits)
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative")
      .map((audit) => ({ id: audit.id, score: audit.score, title: audit.title }));
    const summary = {
      page: name,
      path: page,
      lighthouse: lhr.lighthouseVersion,
      userAgent: lhr.environment.hostUserAgent,
      fetchTime: lhr.fetchTime,
      scores,
      metrics: Object.fromEntries(
        ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
          "cumulative-layout-shift", "speed-index"].map((id) => [id, lhr.audits[id].displayValue]),
      ),
      below,
    };
    fs.mkdirSync(path.join(docs, "lighthouse"), { recursive: true });
    fs.writeFileSync(path.join(docs, "lighthouse", `${name}.json`), JSON.stringify(summary, null, 2) + "\n");
    rows.push(summary);
    console.log(name, JSON.stringify(scores), below.map((audit) => audit.id).join(" "));
    if (Object.values(scores).some((score) => score < min)) failed = true;
  }
} finally {
  await chrome.kill();
}

const header = "| page | path | performance | accessibility | best practices | SEO |";
const lines = rows.map(
  (row) => `| ${row.page} | \`${row.path}\` | ${categories.map((id) => row.scores[id]).join(" | ")} |`,
);
fs.writeFileSync(
  path.join(docs, "lighthouse.md"),
  [
    "# Lighthouse (mobile)",
    "",
    `Measured ${rows[0].fetchTime} with Lighthouse ${rows[0].lighthouse} (mobile preset: emulated`,
    `Moto G Power, simulated slow 4G and 4x CPU slowdown) on ${rows[0].userAgent.match(/Chrome\/[\d.]+/)}`,
    "(Debian's `/usr/bin/chromium`, headless), against `satupintu demo` data served on loopback by",
    "`scripts/lighthouse/run`. The JSON summaries per page (metrics, audits under full marks) are in",
    "`docs/lighthouse/`.",
    "",
    header,
    "|---|---|---|---|---|---|",
    ...lines,
    "",
  ].join("\n"),
);
if (failed) {
  console.error(`A score is under ${min}.`);
  process.exit(1);
}
