import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const docs = new URL('../../../docs/', import.meta.url);
const pages = ['../README.md', ...readdirSync(docs).filter((name) => name.endsWith('.md'))];

/** A table row's cells: split on `|` unless escaped (`\|`), which GitHub's tables honour even inside code. */
const cells = (row: string) =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/).length;

/** Each table in a page (outside code blocks): its first line and every row whose cell count differs from the header's. */
function brokenRows(markdown: string): string[] {
  const broken: string[] = [];
  let fenced = false;
  let header: number | undefined;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const row = !fenced && line.trimStart().startsWith('|');
    if (!row) header = undefined;
    else if (header === undefined) header = cells(line);
    else if (cells(line) !== header) broken.push(`${cells(line)} cells, not ${header}: ${line.trim()}`);
  }
  return broken;
}

describe('the tables in the docs', () => {
  it.each(pages)('%s: every row has as many cells as its header', (page) => {
    expect(brokenRows(readFileSync(new URL(page, docs), 'utf8'))).toEqual([]);
  });
});
