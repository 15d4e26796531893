// A small client of the PESAN API written against the types openapi-typescript generates from /api/schema/
// (tests/test_ts_client.py generates ./api.d.ts next to a copy of this file, type-checks it with tsc and runs
// it against a live test server). Usage: node check.mjs <base URL>; prints one JSON line.
import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

declare const process: { argv: string[] };

type ListingMeta = components["schemas"]["ListingMeta"];

const client = createClient<paths>({ baseUrl: process.argv[2] });

function fail(what: string, error: unknown): never {
  throw new Error(`${what}: ${JSON.stringify(error)}`);
}

// Pages: the Wagtail listing, then one page by its id.
const pages = await client.GET("/api/v2/pages/", { params: { query: { limit: 10, order: "title" } } });
if (!pages.data) fail("pages listing", pages.error);
const meta: ListingMeta = pages.data.meta;
const firstId = pages.data.items[0]?.id;
if (firstId === undefined) fail("pages listing", "no page");
const page = await client.GET("/api/v2/pages/{id}/", { params: { path: { id: firstId } } });
if (!page.data) fail("page detail", page.error);

// The menu and a DRF listing: both listing envelopes give count and meta.total_count.
const navigation = await client.GET("/api/v2/navigation/");
if (!navigation.data) fail("navigation", navigation.error);
const regulations = await client.GET("/api/v2/regulations/", { params: { query: { limit: 5 } } });
if (!regulations.data) fail("regulations", regulations.error);

console.log(
  JSON.stringify({
    total: meta.total_count,
    count: pages.data.count,
    titles: pages.data.items.map((item) => item.title ?? ""),
    page: { id: page.data.id, title: page.data.title },
    menu: navigation.data.items.map((item) => ({ title: item.title, url: item.url, children: item.children.length })),
    regulations: { count: regulations.data.count, total: regulations.data.meta.total_count },
  }),
);
