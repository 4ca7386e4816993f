/** CSV text for the data files `cutover init` writes (RFC 4180, read back by csv-parse in data-files.ts). */

/** A field quoted when it holds a comma, a quote, a line break or spaces at either end (csv-parse trims unquoted ones). */
function field (value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** A header line and one line per row, each ending in a newline. */
export function csvText (columns: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [columns, ...rows].map((row) => `${row.map(field).join(',')}\n`).join('')
}
