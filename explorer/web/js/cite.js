// Citing what the explorer shows: a chain's or a link's sources as a
// reference list an analyst pastes into a brief, and the matrix as CSV.

import { h } from './dom.js';
import { t } from './i18n.js';

// CITE is what a reference needs of a source.
export const CITE = 'id name nameFr url author publisher year';

// reference formats one source, with the places it states the claims:
// Author (Year). Title. Publisher. URL. Cited at: s. 3; p. 12.
export function reference(source, locators) {
  const parts = [
    source.author ? `${source.author}${source.year ? ` (${source.year})` : ''}.` : source.year ? `(${source.year}).` : null,
    `${source.name}.`,
    source.publisher && source.publisher !== source.author ? `${source.publisher}.` : null,
    source.url ? `${source.url}.` : null,
    locators.length ? `${t('cite.at')} ${locators.join('; ')}.` : null,
  ];
  return parts.filter(Boolean).join(' ');
}

// references lists the sources of some citations once each, in the order
// they are first cited, each with every place it is cited at.
export function references(citations) {
  const bySource = new Map();
  for (const { source, locator } of citations) {
    if (!bySource.has(source.id)) bySource.set(source.id, { source, locators: [] });
    const entry = bySource.get(source.id);
    if (locator && !entry.locators.includes(locator)) entry.locators.push(locator);
  }
  return [...bySource.values()].map(({ source, locators }, i) => `${i + 1}. ${reference(source, locators)}`);
}

// copyButton copies a heading and the references of some citations to the
// clipboard, and says so in the status region.
export function copyButton(heading, citations) {
  return h('button', {
    type: 'button',
    class: 'cite',
    onclick: async () => {
      const list = references(citations);
      const status = document.getElementById('status');
      try {
        await navigator.clipboard.writeText([heading, ...list].join('\n'));
        status.textContent = t('cite.copied', list.length);
      } catch {
        status.textContent = t('cite.failed');
      }
    },
  }, t('cite.copy'));
}

// csvCell quotes a value for CSV when it needs it. A text that a
// spreadsheet would take for a formula starts with an apostrophe.
const csvCell = (v) => {
  let s = String(v ?? '');
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

// The file the matrix last offered, released when another replaces it.
let offered = null;

// csvLink offers rows as a CSV file to download.
export function csvLink(filename, rows) {
  const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  if (offered) URL.revokeObjectURL(offered);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  offered = url;
  return h('a', { class: 'download', href: url, download: filename }, t('cite.csv'));
}

// hopCitations are the citations of a chain's hops.
export const hopCitations = (hops) => hops.flatMap((hop) => hop.citations);
