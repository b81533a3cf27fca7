// Browser tests of the explorer and the playground, run by
// explorer/browser_test.go against the API serving the shipped data set.
// Every scenario compares what the page shows with what the API answers to
// the same question.
//
// Environment:
//   PSMGRAPH_URL             the API's origin; the explorer is at /explorer/
//   PSMGRAPH_ALLOWED_ORIGIN  a copy of the pages on an origin the API allows
//   PSMGRAPH_REFUSED_ORIGIN  a copy on an origin it does not
//   PSMGRAPH_ARTIFACTS       where screenshots go (default: ./artifacts)
//   CHROMIUM                 the browser (default: /usr/bin/chromium)

import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const API = required('PSMGRAPH_URL');
const EXPLORER = `${API}/explorer/`;
const ALLOWED = `${required('PSMGRAPH_ALLOWED_ORIGIN')}/explorer/`;
const REFUSED = `${required('PSMGRAPH_REFUSED_ORIGIN')}/explorer/`;
const ARTIFACTS = resolve(process.env.PSMGRAPH_ARTIFACTS || 'artifacts');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function gql(query, variables = {}, operationName = undefined) {
  const res = await fetch(`${API}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, `the API refused ${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const MATRIX = `query ($orders: [Order!], $jurisdictions: [ID!], $inEffectOn: Date, $includeUndated: Boolean) {
  influenceMatrix(orders: $orders, jurisdictions: $jurisdictions, inEffectOn: $inEffectOn, includeUndated: $includeUndated) {
    kinds { id name nameFr }
    rows { lever { id name nameFr } cells { effect paths } }
  }
}`;

// Console errors and uncaught exceptions, from every page but the one whose
// requests CORS must refuse, and breaches of the Content-Security-Policy.
const errors = [];
const screenshots = [];

function watch(page) {
  page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} (${page.url()})`));
  page.on('pageerror', (e) => errors.push(`${e.message} (${page.url()})`));
  return page;
}

// ready waits until the view the URL names is rendered: the shell marks the
// main element busy from a change of the URL until then.
const ready = (page) => page.waitForSelector('main:not([aria-busy])', { state: 'attached' });

const param = (page, name) => new URL(page.url()).searchParams.get(name);

// fitsWidth checks that the page does not scroll sideways: what is wider
// than the screen, like the matrix, scrolls within its own box.
async function fitsWidth(page, what) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide on a ${width} px screen`);
}

async function screenshot(page, name) {
  const path = resolve(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  screenshots.push(path);
}

// The matrix on the page: each row's lever and its cells' effects (by their
// colour's class) and numbers of chains, in order.
const shownMatrix = (page) => page.$$eval('table.matrix tbody tr', (rows) => rows.map((tr) => ({
  lever: tr.querySelector('td.cell').dataset.lever,
  cells: [...tr.querySelectorAll('td.cell')].map((td) => [
    td.className.match(/\bfx-(\w+)/)?.[1] ?? null,
    Number(td.textContent.replace(/\D/g, '') || 0),
  ]),
})));

const expectedMatrix = (m) => m.rows.map((r) => ({ lever: r.lever.id, cells: r.cells.map((c) => [c.effect, c.paths]) }));

async function matrixView(context) {
  const page = watch(await context.newPage());
  await page.goto(EXPLORER);
  await page.waitForSelector('table.matrix');
  // When the matrix was rendered, and how long the slowest API request took.
  const timing = () => page.evaluate(() => [
    performance.getEntriesByName('explorer:matrix')[0]?.startTime,
    Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/graphql')).map((e) => e.duration)),
  ].map(Math.round));
  const [cold, coldAPI] = await timing();
  // Again, with the server's queries and the browser's cache warm. The first
  // figure mostly measures a Neo4j that has never run the query, so the
  // bound, generous, is on the second.
  await page.reload();
  await page.waitForSelector('table.matrix');
  const [warm, warmAPI] = await timing();
  console.log(`first view: the matrix rendered ${cold} ms after navigation start, the API taking ${coldAPI} ms; ` +
    `on reload ${warm} ms, the API taking ${warmAPI} ms`);
  assert.ok(cold < 30000 && warm < 5000, 'the matrix renders soon enough');

  const { influenceMatrix: m } = await gql(MATRIX);
  assert.deepEqual(await shownMatrix(page), expectedMatrix(m));
  assert.deepEqual(await page.$$eval('table.matrix thead th[scope=col] a', (as) => as.map((a) => a.textContent)), m.kinds.map((k) => k.name));

  // Of the cells whose chains cite a source with an address, the one with
  // the most chains.
  const CHAINS = `query ($kind: ID!) {
    leversAffecting(kind: $kind, first: 1000) { lever { id } chain { hops { sources { id url } } } }
  }`;
  let best = null;
  for (const kind of m.kinds) {
    const { leversAffecting } = await gql(CHAINS, { kind: kind.id });
    for (const row of m.rows) {
      const chains = leversAffecting.filter((i) => i.lever.id === row.lever.id);
      const cited = chains.some((c) => c.chain.hops.some((h) => h.sources.some((s) => s.url)));
      if (cited && (!best || chains.length > best.chains.length)) best = { lever: row.lever.id, kind: kind.id, chains };
    }
  }
  assert.ok(best, 'some chain cites a source with an address');
  const { chains } = best;
  assert.equal(chains.length, m.rows.find((r) => r.lever.id === best.lever).cells[m.kinds.findIndex((k) => k.id === best.kind)].paths,
    'the matrix counts the chains leversAffecting lists');

  await page.click(`td[data-lever="${best.lever}"][data-kind="${best.kind}"]`);
  await ready(page);
  assert.equal(param(page, 'lever'), best.lever);
  assert.equal(param(page, 'kind'), best.kind);
  assert.equal(await page.locator('.chains li.chain').count(), chains.length);

  // Every source of every step is linked: to its document where it has an
  // address, else to its page.
  const sources = chains.flatMap((c) => c.chain.hops.flatMap((h) => h.sources));
  const links = await page.$$eval('.chains .sources a', (as) => as.map((a) => a.href));
  assert.deepEqual(links, sources.map((s) => (s.url ? new URL(s.url).href : `${EXPLORER}?view=entity&id=${encodeURIComponent(s.id)}`)));
  await screenshot(page, 'matrix');

  // Each filter changes the URL and the matrix, as the API answers; back
  // undoes the last.
  await page.check('input[name=orders][value=PROVINCIAL]');
  await ready(page);
  assert.equal(param(page, 'orders'), 'PROVINCIAL');
  const provincial = (await gql(MATRIX, { orders: ['PROVINCIAL'] })).influenceMatrix;
  assert.deepEqual(await shownMatrix(page), expectedMatrix(provincial));

  const { jurisdictions } = await gql('{ jurisdictions(first: 100) { edges { node { id order } } } }');
  const [province, another] = jurisdictions.edges.map((e) => e.node).filter((j) => j.order === 'PROVINCIAL');
  // Choosing again in the same control replaces its history entry.
  const entries = await page.evaluate(() => history.length);
  await page.selectOption('select[name=jurisdiction]', another.id);
  await ready(page);
  await page.selectOption('select[name=jurisdiction]', province.id);
  await ready(page);
  assert.equal(await page.evaluate(() => history.length), entries + 1, 'one history entry for one control\'s edits in a row');
  assert.equal(param(page, 'jurisdiction'), province.id);
  const inProvince = (await gql(MATRIX, { orders: ['PROVINCIAL'], jurisdictions: [province.id] })).influenceMatrix;
  assert.deepEqual(await shownMatrix(page), expectedMatrix(inProvince));

  // The date is taken when the field is left, not at each valid date
  // typed on the way.
  await page.fill('input[name=asOf]', '2009-12-31');
  await page.fill('input[name=asOf]', '2010-01-01');
  assert.equal(param(page, 'asOf'), null, 'no date is taken while typing');
  await page.$eval('input[name=asOf]', (input) => input.blur());
  await page.waitForFunction(() => new URLSearchParams(location.search).get('asOf') === '2010-01-01');
  await ready(page);
  const then = (await gql(MATRIX, { orders: ['PROVINCIAL'], jurisdictions: [province.id], inEffectOn: '2010-01-01' })).influenceMatrix;
  assert.deepEqual(await shownMatrix(page), expectedMatrix(then));
  assert.notDeepEqual(expectedMatrix(then), expectedMatrix(inProvince), 'the date changes the matrix');

  await page.check('input[name=undated]');
  await ready(page);
  assert.equal(param(page, 'undated'), '1');
  const withUndated = (await gql(MATRIX, { orders: ['PROVINCIAL'], jurisdictions: [province.id], inEffectOn: '2010-01-01', includeUndated: true })).influenceMatrix;
  assert.deepEqual(await shownMatrix(page), expectedMatrix(withUndated));
  await page.goBack();
  await ready(page);

  await page.goBack();
  await ready(page);
  assert.equal(param(page, 'asOf'), null);
  assert.deepEqual(await shownMatrix(page), expectedMatrix(inProvince));
  await page.close();
}

// The evidence behind each link: a switch, kept in the URL, keeps the stated
// chains only; cells count their stated chains; a chain's steps say whether
// their sources state them, and an inferred link is dashed, in the chains
// and in the drawing.
async function evidence(context) {
  const STATED = `query ($statedOnly: Boolean) { influenceMatrix(statedOnly: $statedOnly) {
    kinds { id } rows { lever { id } cells { effect paths statedPaths } } } }`;
  const page = watch(await context.newPage());
  await page.goto(`${EXPLORER}?view=matrix&stated=1`);
  await ready(page);
  assert.equal(await page.isChecked('input[name=stated]'), true, 'the switch follows the URL');
  const stated = (await gql(STATED, { statedOnly: true })).influenceMatrix;
  assert.deepEqual(await shownMatrix(page), expectedMatrix(stated));

  await page.uncheck('input[name=stated]');
  await ready(page);
  assert.equal(param(page, 'stated'), null);
  const all = (await gql(STATED, { statedOnly: false })).influenceMatrix;
  assert.deepEqual(await shownMatrix(page), expectedMatrix(all));
  assert.deepEqual(await page.$$eval('td.cell', (tds) => tds.map((td) => Number(td.dataset.stated))),
    all.rows.flatMap((r) => r.cells.map((c) => c.statedPaths)), 'each cell counts its stated chains');
  const dashed = await page.$$eval('td.cell.inferred', (tds) => tds.map((td) => td.dataset.key));
  assert.deepEqual(dashed, all.rows.flatMap((r) => r.cells.flatMap((c, i) =>
    c.paths > 0 && c.statedPaths === 0 ? [`cell:${r.lever.id}|${all.kinds[i].id}`] : [])), 'the cells with no stated chain are dashed');

  // A cell whose chains hold both a stated and an inferred step, if any;
  // else any cell.
  const CHAINS = `query ($kind: ID!) { leversAffecting(kind: $kind, first: 1000) { lever { id } stated chain { hops { evidence } } } }`;
  let pick = null;
  for (const kind of all.kinds) {
    const { leversAffecting } = await gql(CHAINS, { kind: kind.id });
    for (const row of all.rows) {
      const chains = leversAffecting.filter((c) => c.lever.id === row.lever.id);
      const kinds = new Set(chains.flatMap((c) => c.chain.hops.map((h) => h.evidence)));
      if (chains.length && (!pick || kinds.size > pick.kinds.size)) pick = { lever: row.lever.id, kind: kind.id, chains, kinds };
    }
  }
  await page.click(`td[data-lever="${pick.lever}"][data-kind="${pick.kind}"]`);
  await ready(page);
  assert.deepEqual(await page.$$eval('.chains .hops li', (lis) => lis.map((li) => li.dataset.evidence)),
    pick.chains.flatMap((c) => c.chain.hops.map((h) => h.evidence ?? 'UNMARKED')));
  assert.deepEqual(await page.$$eval('.chains li.chain', (lis) => lis.map((li) => li.classList.contains('stated'))),
    pick.chains.map((c) => c.stated));
  for (const li of await page.$$('.chains .hops li.inferred')) {
    assert.equal(await li.evaluate((el) => getComputedStyle(el).borderLeftStyle), 'dashed', 'an inferred step is dashed');
  }
  await screenshot(page, 'evidence');

  // In the drawing of a kind's neighbourhood, its inferred links are dashed.
  const { mutualKinds } = await gql(`{ mutualKinds(first: 100) { edges { node { id
    affectedBy(first: 100) { edges { node { id } evidence } } } } } }`);
  const kind = mutualKinds.edges.map((e) => e.node).find((k) => k.affectedBy.edges.some((e) => e.evidence === 'INFERRED'))
    ?? mutualKinds.edges[0].node;
  await page.goto(`${EXPLORER}?view=graph&id=${encodeURIComponent(kind.id)}`);
  await ready(page);
  const inferred = kind.affectedBy.edges.filter((e) => e.evidence === 'INFERRED').map((e) => `${e.node.id}|AFFECTS|${kind.id}`);
  assert.deepEqual(new Set(await page.$$eval('svg .edge[data-edge*="|AFFECTS|"].inferred', (gs) => gs.map((g) => g.dataset.edge))), new Set(inferred));
  for (const line of await page.$$('svg .edge.inferred line')) {
    assert.notEqual(await line.evaluate((el) => getComputedStyle(el).strokeDasharray), 'none', 'an inferred link is dashed');
  }
  await page.close();
}

async function keyboard(context) {
  const page = watch(await context.newPage());
  await page.goto(EXPLORER);
  await ready(page);
  const { influenceMatrix: m } = await gql(MATRIX);
  // The first cell with chains, in reading order, reached with the arrows.
  const r = m.rows.findIndex((row) => row.cells.some((c) => c.paths > 0));
  const c = m.rows[r].cells.findIndex((cell) => cell.paths > 0);
  const key = `cell:${m.rows[r].lever.id}|${m.kinds[c].id}`;
  await page.focus('td.cell[tabindex="0"]');
  for (let i = 0; i < r; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < c; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.key), key);
  await page.keyboard.press('Enter');
  await ready(page);
  assert.equal(param(page, 'lever'), m.rows[r].lever.id);
  assert.equal(param(page, 'kind'), m.kinds[c].id);
  assert.equal(await page.locator('.chains li.chain').count(), m.rows[r].cells[c].paths);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.key), key, 'focus stays on the cell');
  await page.close();
}

async function french(context) {
  const page = watch(await context.newPage());
  await page.goto(EXPLORER);
  await ready(page);
  const english = await page.textContent('h1');
  await page.click('#language');
  await ready(page);
  assert.equal(param(page, 'lang'), 'fr');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.notEqual(await page.textContent('h1'), english);

  const { influenceMatrix: m } = await gql(MATRIX);
  const named = m.rows.find((r) => r.lever.nameFr);
  assert.ok(named, 'some lever of the matrix has a French name');
  const row = page.locator('table.matrix tbody tr', { has: page.locator(`td[data-lever="${named.lever.id}"]`) });
  assert.equal(await row.locator('th a').textContent(), named.lever.nameFr);
  assert.deepEqual(await page.$$eval('table.matrix thead th[scope=col] a', (as) => as.map((a) => a.textContent)), m.kinds.map((k) => k.nameFr || k.name));
  await screenshot(page, 'matrix-fr');
  await page.close();
}

async function graph(context) {
  const page = watch(await context.newPage());
  await page.goto(`${EXPLORER}?view=graph`);
  await ready(page);

  const { mutualKinds } = await gql('{ mutualKinds(first: 1) { edges { node { id name } } } }');
  const kind = mutualKinds.edges[0].node;
  await page.fill('#q', kind.name);
  await page.press('#q', 'Enter');
  await ready(page);
  assert.equal(param(page, 'q'), kind.name);
  const { search } = await gql('query ($text: String!) { search(text: $text, first: 20) { node { id } } }', { text: kind.name });
  const shown = await page.$$eval('.results li a', (as) => as.map((a) => new URL(a.href).searchParams.get('id')));
  assert.deepEqual(shown, search.map((hit) => hit.node.id));

  await page.click(`.results a[href*="id=${encodeURIComponent(kind.id)}"]`);
  await ready(page);
  const { node: hood } = await gql(`query ($id: ID!) { node(id: $id) { ... on MutualKind {
    affectedBy(first: 100) { edges { node { id __typename } } }
    challenges(first: 100) { edges { node { id } } }
    outcomes(first: 100) { edges { node { id } } }
    mutuals(first: 100) { edges { node { id } } }
  } } }`, { id: kind.id });
  const edges = Object.values(hood).flatMap((c) => c.edges);
  const neighbours = new Set(edges.map((e) => e.node.id));
  assert.equal(await page.locator('svg .node').count(), neighbours.size + 1);
  assert.equal(await page.locator('svg .edge').count(), edges.length);
  assert.equal(await page.locator('.text-list .entities li').count(), neighbours.size + 1);

  // One node is in the tab order, the entity drawn; the arrow keys move to
  // another, which takes its place.
  assert.deepEqual(await page.$$eval('svg .node[tabindex="0"]', (gs) => gs.map((g) => g.dataset.id)), [kind.id]);
  await page.focus('svg .node[tabindex="0"]');
  for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp']) {
    await page.keyboard.press(key);
    if (await page.evaluate((id) => document.activeElement.dataset.id !== id, kind.id)) break;
  }
  const moved = await page.evaluate(() => document.activeElement.dataset.id);
  assert.ok(moved && moved !== kind.id, 'an arrow key moves to another node');
  assert.deepEqual(await page.$$eval('svg .node[tabindex="0"]', (gs) => gs.map((g) => g.dataset.id)), [moved]);

  // Expand, by a click, a lever that affects the kind: the jurisdictions
  // that hold it join the drawing.
  const lever = hood.affectedBy.edges.map((e) => e.node).find((n) => n.__typename === 'Lever');
  const { node: held } = await gql('query ($id: ID!) { node(id: $id) { ... on Lever { heldBy { edges { node { id } } } } } }', { id: lever.id });
  const holders = held.heldBy.edges.map((e) => e.node.id);
  assert.ok(holders.length > 0, `${lever.id} is held by a jurisdiction`);
  const before = await page.locator('svg .node').count();
  await page.click(`svg .node[data-id="${lever.id}"] circle`);
  await ready(page);
  assert.deepEqual(param(page, 'open')?.split(','), [lever.id]);
  assert.ok(await page.locator('svg .node').count() > before, 'expanding adds entities');
  for (const id of holders) assert.equal(await page.locator(`svg .node[data-id="${id}"]`).count(), 1, `${id} is drawn`);

  // Expand a jurisdiction from the keyboard.
  const holder = holders[0];
  const count = await page.locator('svg .node').count();
  await page.focus(`svg .node[data-id="${holder}"]`);
  await page.keyboard.press('Enter');
  await ready(page);
  assert.deepEqual(param(page, 'open')?.split(','), [lever.id, holder]);
  assert.equal(await page.locator(`svg .node.expanded[data-id="${holder}"]`).count(), 1);
  assert.ok(await page.locator('svg .node').count() >= count);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.key), `node:${holder}`, 'focus stays on the node');

  // Trace from the kind to the jurisdiction: the paths the API finds are
  // highlighted, every hop of them.
  await page.selectOption('#trace-from', kind.id);
  await page.selectOption('#trace-to', holder);
  await page.click('form.trace button[type=submit]');
  await ready(page);
  assert.equal(param(page, 'from'), kind.id);
  assert.equal(param(page, 'to'), holder);
  const { trace } = await gql(`query ($from: ID!, $to: ID!) { trace(from: $from, to: $to, maxHops: 4, first: 10) {
    hops { type from { id } to { id } } } }`, { from: kind.id, to: holder });
  assert.ok(trace.length > 0, 'a path joins them');
  const hops = new Set(trace.flatMap((p) => p.hops.map((h) => `${h.from.id}|${h.type}|${h.to.id}`)));
  const lit = await page.$$eval('svg .edge.on-path', (gs) => gs.map((g) => g.dataset.edge));
  assert.deepEqual(new Set(lit), hops);
  assert.equal(await page.locator('.paths li.path').count(), trace.length);
  await fitsWidth(page, 'the graph');
  await screenshot(page, 'graph');
  await page.close();
}

async function entity(context) {
  const { statutes } = await gql(`{ statutes(first: 100) { edges { node {
    id name nameFr sources { name }
    heldBy(first: 100) { totalCount } advancedBy(first: 100) { totalCount } affects(first: 100) { totalCount }
    mitigates(first: 100) { totalCount } realises(first: 100) { totalCount }
    administrators(first: 100) { totalCount } incorporates(first: 100) { totalCount }
    establishes(first: 100) { totalCount } amends(first: 100) { totalCount } amendedBy(first: 100) { totalCount }
  } } } }`);
  const statute = statutes.edges.map((e) => e.node).find((s) => s.nameFr && s.affects.totalCount > 0);
  assert.ok(statute, 'a statute with a French name affects a kind of mutual');
  const groups = Object.entries(statute).filter(([, v]) => v?.totalCount > 0);

  const page = watch(await context.newPage());
  await page.goto(`${EXPLORER}?view=entity&id=${encodeURIComponent(statute.id)}`);
  await ready(page);
  assert.equal(await page.textContent('h1'), statute.name);
  assert.deepEqual(await page.$$eval('.group', (ss) => ss.map((s) => s.dataset.field)), groups.map(([field]) => field));
  for (const [field, { totalCount }] of groups) {
    assert.equal(await page.locator(`.group[data-field="${field}"] > ul > li`).count(), totalCount, field);
  }
  assert.deepEqual(await page.$$eval('.own-sources li a', (as) => as.map((a) => a.textContent)), statute.sources.map((s) => s.name));
  const permalink = await page.getAttribute('a[rel=bookmark]', 'href');
  assert.equal(new URLSearchParams(permalink).get('id'), statute.id);
  await screenshot(page, 'entity');

  await page.click('#language');
  await ready(page);
  assert.equal(await page.textContent('h1'), statute.nameFr);
  await page.close();
}

async function crossOrigin(context) {
  const page = watch(await context.newPage());
  await page.goto(ALLOWED);
  await page.waitForSelector('table.matrix');
  assert.notEqual(new URL(page.url()).origin, new URL(API).origin);
  const { influenceMatrix: m } = await gql(MATRIX);
  assert.deepEqual(await shownMatrix(page), expectedMatrix(m));
  assert.equal(await page.textContent('#alert'), '');
  await screenshot(page, 'cors-allowed');
  await page.close();
}

// refused is not watched: the browser logs the CORS refusal as an error.
async function refused(context) {
  const page = await context.newPage();
  await page.goto(REFUSED);
  await ready(page);
  assert.match(await page.textContent('#alert'), new RegExp(`${API}/graphql`));
  assert.equal(await page.locator('table.matrix').count(), 0);
  await screenshot(page, 'cors-refused');
  await page.close();
}

async function phone(context) {
  const { mutualKinds, jurisdictions } = await gql('{ mutualKinds(first: 1) { edges { node { id } } } jurisdictions(first: 1) { edges { node { id } } } }');
  const kind = encodeURIComponent(mutualKinds.edges[0].node.id);
  const place = encodeURIComponent(jurisdictions.edges[0].node.id);
  const views = [
    ['matrix-phone', '', 'table.matrix'],
    ['graph-phone', `?view=graph&id=${kind}&from=${kind}&to=${place}`, 'svg .edge.on-path'],
    ['entity-phone', `?view=entity&id=${kind}`, 'article.entity .group'],
  ];
  for (const [name, query, shown] of views) {
    const page = watch(await context.newPage());
    await page.goto(EXPLORER + query);
    await ready(page);
    await page.waitForSelector(shown);
    await fitsWidth(page, name);
    await screenshot(page, name);
    await page.close();
  }
}

// The playground, offline: every request to another host fails, as on a
// network that blocks them. It loads, opens with the examples, and runs one
// of them to the answer the API gives; it links to the explorer and back.
async function playground(context) {
  const origin = new URL(API).origin;
  const outside = [];
  await context.route((url) => url.origin !== origin, (route) => {
    outside.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  const page = watch(await context.newPage());
  await page.goto(`${API}/`);
  const examples = await readFile(resolve('..', '..', 'server', 'examples.graphql'), 'utf8');
  assert.equal(param(page, 'query'), examples, 'the playground does not open with the examples');
  const editor = (name) => page.$eval(`.graphiql-${name} .CodeMirror`, (el) => el.CodeMirror.getValue());
  await page.waitForSelector('.graphiql-query-editor .CodeMirror');
  assert.equal(await editor('query-editor'), examples, 'the editor does not hold the examples');

  const operation = examples.match(/^query (\w+)/m)[1];
  await page.click('.graphiql-execute-button');
  await page.getByRole('menuitem', { name: operation }).click();
  await page.waitForFunction(() => document.querySelector('.result-window .CodeMirror')?.CodeMirror.getValue().includes('"data"'));
  const shown = JSON.parse(await editor('response'));
  assert.deepEqual(shown.data, await gql(examples, {}, operation), `the result pane does not show what the API answers to ${operation}`);
  assert.ok(Object.values(shown.data)[0].length > 0, `${operation} found nothing`);
  await screenshot(page, 'playground');

  await page.getByRole('link', { name: 'Explorer' }).click();
  await ready(page);
  await page.getByRole('link', { name: 'GraphQL playground' }).click();
  await page.waitForSelector('.graphiql-query-editor .CodeMirror');
  assert.deepEqual(outside, [], 'the playground asked other hosts');
}

// A view superseded by a newer one before its answers came has its requests
// aborted, and the newer view shows its own answer.
async function superseded(context) {
  const page = watch(await context.newPage());
  await page.goto(EXPLORER);
  await page.waitForSelector('table.matrix');
  const aborted = [];
  page.on('requestfailed', (r) => r.url().endsWith('/graphql') && aborted.push(r.failure()?.errorText));
  await page.route('**/graphql', async (route) => {
    await new Promise((done) => setTimeout(done, 400));
    await route.continue().catch(() => {}); // an aborted request cannot go on
  });
  await page.check('input[name=orders][value=PROVINCIAL]');
  await page.waitForFunction(() => document.querySelector('main').getAttribute('aria-busy') === 'true');
  await page.check('input[name=orders][value=FEDERAL]');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('orders') === 'FEDERAL,PROVINCIAL');
  await ready(page);
  assert.ok(aborted.length > 0 && aborted.every((e) => /abort/i.test(e)), `the first view's requests were aborted: ${aborted}`);
  const { influenceMatrix } = await gql(MATRIX, { orders: ['FEDERAL', 'PROVINCIAL'] });
  assert.deepEqual(await shownMatrix(page), expectedMatrix(influenceMatrix));
  await page.unroute('**/graphql');
  await page.close();
}

// The analysts' questions show what the API answers, keep their state in
// the URL, and copy an answer's sources as references; the matrix
// downloads as the CSV of what it shows.
async function questions(context) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(API).origin });
  const page = watch(await context.newPage());

  const js = ['jurisdiction:ca', 'jurisdiction:ca-on'];
  await page.goto(`${EXPLORER}?view=gaps&kind=kind:spin-out&jurisdiction=${js.join(',')}`);
  await ready(page);
  const GAPS = `query ($js: [ID!]!) { gaps(kind: "kind:spin-out", jurisdictions: $js) {
    challenge { id } unaddressed faces { citations { source { name } } } mitigations { measure { id } } } }`;
  const shownGaps = () => page.$$eval('li.gap', (lis) => lis.map((li) => [li.dataset.challenge, li.classList.contains('unaddressed'),
    [...li.querySelectorAll('[data-measure]')].map((m) => m.dataset.measure)]));
  const expectGaps = (gaps) => gaps.map((g) => [g.challenge.id, g.unaddressed, g.mitigations.map((m) => m.measure.id)]);
  const { gaps } = await gql(GAPS, { js });
  assert.ok(gaps.some((g) => g.unaddressed) && gaps.some((g) => !g.unaddressed), 'the shipped set shows gaps and mitigated challenges');
  assert.deepEqual(await shownGaps(), expectGaps(gaps));

  // The first challenge's references hold the sources of the link by
  // which the kind faces it, numbered.
  await page.click('li.gap button.cite');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  for (const c of gaps[0].faces.citations) assert.ok(copied.includes(c.source.name), `the references name ${c.source.name}: ${copied}`);
  assert.match(copied, /^.+\n1\. /);
  assert.match(await page.textContent('#status'), /1|2|3|4|5|6|7|8|9/);

  // A change of the form is a change of the URL, and of the answer.
  await page.uncheck('input[name=jurisdiction][value="jurisdiction:ca"]');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('jurisdiction') === 'jurisdiction:ca-on');
  await ready(page);
  assert.deepEqual(await shownGaps(), expectGaps((await gql(GAPS, { js: ['jurisdiction:ca-on'] })).gaps));

  await page.goto(`${EXPLORER}?view=compare&left=jurisdiction:gb&right=FEDERAL,PROVINCIAL`);
  await ready(page);
  const { compare } = await gql(`{ compare(left: {jurisdictions: ["jurisdiction:gb"]}, right: {orders: [FEDERAL, PROVINCIAL]}) {
    kind { id } leftOnly { effect means chains { lever { id } } } rightOnly { effect means chains { lever { id } } } } }`);
  // Each kind's differences, side by side, with the chains behind each.
  const shownCompare = await page.$$eval('.answers > li', (lis) => lis.map((li) => [li.dataset.kind,
    [...li.querySelectorAll('section[data-side]')].flatMap((sec) => [...sec.querySelectorAll('[data-bearing]')].map((b) =>
      `${sec.dataset.side} ${b.dataset.bearing} ${b.querySelectorAll('.chain').length}`))]));
  assert.deepEqual(shownCompare, compare.map((c) => [c.kind.id, [
    ...c.leftOnly.map((d) => `left ${d.effect} ${d.means} ${d.chains.length}`),
    ...c.rightOnly.map((d) => `right ${d.effect} ${d.means} ${d.chains.length}`)]]));
  assert.ok(compare.some((c) => c.leftOnly.length > 0), 'the United Kingdom had something Canada lacks');

  // A side no single option names (two orders) stays as the URL has it
  // when another control changes.
  await page.check('input[name=stated]');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('stated') === '1');
  await ready(page);
  assert.equal(param(page, 'right'), 'FEDERAL,PROVINCIAL');
  assert.equal(param(page, 'left'), 'jurisdiction:gb');

  await page.goto(`${EXPLORER}?view=impact&id=lever:on-procurement`);
  await ready(page);
  const { impact } = await gql('{ impact(id: "lever:on-procurement") { chains { lever { id } } losses { kind { id } jurisdiction { id } chains { lever { id } } } } }');
  assert.ok(impact.losses.length > 0, 'the lever has losses to show');
  assert.deepEqual(await page.$$eval('[data-loss]', (lis) => lis.map((li) => [li.dataset.loss, li.querySelectorAll('.chain').length])),
    impact.losses.map((l) => [`${l.kind.id} ${l.jurisdiction.id}`, l.chains.length]));
  assert.equal(await page.$$eval('.chain', (cs) => cs.length), impact.chains.length + impact.losses.reduce((n, l) => n + l.chains.length, 0));

  await page.goto(EXPLORER);
  await page.waitForSelector('table.matrix');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.download')]);
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\r\n');
  const { influenceMatrix: m } = await gql(MATRIX);
  assert.equal(csv.length, m.rows.length + 1, 'a CSV row per lever, and a header');
  assert.equal(csv[0].split(',').length, 4 + 3 * m.kinds.length);
  assert.deepEqual(csv.slice(1).map((line) => line.split(',')[0]), m.rows.map((r) => r.lever.id));
}

// axe-core's rules for WCAG 2.1 levels A and AA. The script is evaluated
// through the browser's debugging protocol, which the pages' content
// policy does not govern: the pages themselves load nothing new.
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function audit(page, what) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async (tags) => {
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes[0].target.join(' ')}: ${v.nodes[0].failureSummary.replaceAll('\n', ' ')} ${v.nodes[0].html.slice(0, 400)}`);
  }, WCAG);
  assert.deepEqual(violations, [], `${what} breaks WCAG 2.1 A or AA rules`);
}

// Every view, in English and French, with a cell's chains open, a
// neighbourhood drawn and a path traced, passes the rules.
async function accessibility(context) {
  const page = watch(await context.newPage());
  const { mutualKinds } = await gql('{ mutualKinds(first: 1) { edges { node { id } } } }');
  const kind = mutualKinds.edges[0].node.id;
  const { influenceMatrix } = await gql(MATRIX);
  const lever = influenceMatrix.rows[0].lever.id;
  const cellKind = influenceMatrix.kinds[influenceMatrix.rows[0].cells.findIndex((c) => c.paths > 0)].id;
  const views = {
    matrix: '?view=matrix',
    chains: `?view=matrix&lever=${encodeURIComponent(lever)}&kind=${encodeURIComponent(cellKind)}`,
    graph: `?view=graph&id=${encodeURIComponent(kind)}`,
    trace: `?view=graph&id=${encodeURIComponent(kind)}&open=${encodeURIComponent(lever)}&from=${encodeURIComponent(lever)}&to=${encodeURIComponent(kind)}`,
    entity: `?view=entity&id=${encodeURIComponent(lever)}`,
    gaps: '?view=gaps&kind=kind:spin-out&jurisdiction=jurisdiction:ca,jurisdiction:ca-on',
    compare: '?view=compare&left=jurisdiction:gb&right=FEDERAL,PROVINCIAL',
    impact: '?view=impact&id=lever:on-procurement',
  };
  for (const lang of ['en', 'fr']) {
    for (const [name, query] of Object.entries(views)) {
      await page.goto(`${EXPLORER}${query}${lang === 'fr' ? '&lang=fr' : ''}`);
      await ready(page);
      await audit(page, `the ${name} view in ${lang}`);
    }
  }
}

const LAPTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const scenarios = [
  [matrixView, LAPTOP], [evidence, LAPTOP], [keyboard, LAPTOP], [french, LAPTOP], [graph, LAPTOP], [entity, LAPTOP],
  [crossOrigin, LAPTOP], [refused, LAPTOP], [phone, PHONE], [playground, LAPTOP], [questions, LAPTOP], [superseded, LAPTOP], [accessibility, LAPTOP],
];

await mkdir(ARTIFACTS, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  for (const [scenario, options] of scenarios) {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(15000);
    // Chromium logs a breach of the policy where Playwright does not listen:
    // the page says it on the console instead.
    await context.addInitScript(() => addEventListener('securitypolicyviolation', (e) =>
      console.error(`Content-Security-Policy: ${e.violatedDirective} refused ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`)));
    const started = Date.now();
    try {
      await scenario(context);
      console.log(`ok   ${scenario.name} (${Date.now() - started} ms)`);
    } catch (err) {
      failed = true;
      console.log(`FAIL ${scenario.name}: ${err.stack}`);
      for (const page of context.pages()) await screenshot(page, `failed-${scenario.name}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
const counts = new Map();
for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
for (const [e, n] of counts) console.log(`console error${n > 1 ? ` (${n} times)` : ''}: ${e}`);
for (const path of screenshots) console.log(`screenshot: ${path}`);
if (failed || errors.length) process.exit(1);
