
export type Row = Record<string, string | number | null>;

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = typeof v === 'string' && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** CSV with a BOM, so Excel opens Cyrillic UTF-8 correctly. */
export function toCsv(columns: string[], rows: Row[]): string {
  return `\ufeff${[columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? null)).join(','))].join('\r\n')}\r\n`;
}

export async function toXlsx(sheet: string, columns: string[], rows: Row[]): Promise<Buffer> {
  // Loaded on the first export: the library costs a third of a second at every start otherwise.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet(sheet);
  ws.columns = columns.map((c) => ({ header: c, key: c, width: Math.max(12, c.length + 2) }));
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The report `name` as a CSV or XLSX file and how to serve it. */
export async function sheetFile(format: 'csv' | 'xlsx', name: string, columns: string[], rows: Row[]) {
  return format === 'csv'
    ? { contentType: CSV_TYPE, filename: `${name}.csv`, body: toCsv(columns, rows) as string | Buffer }
    : { contentType: XLSX_TYPE, filename: `${name}.xlsx`, body: await toXlsx(name, columns, rows) as string | Buffer };
}
