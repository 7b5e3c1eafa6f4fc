import { DateTime } from 'luxon';
import type { BookingView } from './booking-view.js';

const COLUMNS: Array<{ header: string; value: (b: BookingView, tz: string, resources: Map<string, string>) => string | number }> = [
  { header: 'id', value: (b) => b.id },
  { header: 'start', value: (b, tz) => DateTime.fromISO(b.start, { zone: tz }).toFormat('yyyy-MM-dd HH:mm') },
  { header: 'end', value: (b, tz) => DateTime.fromISO(b.end, { zone: tz }).toFormat('yyyy-MM-dd HH:mm') },
  { header: 'status', value: (b) => b.status },
  { header: 'service', value: (b) => b.serviceName },
  { header: 'resources', value: (b, _tz, r) => b.resourceIds.map((id) => r.get(id) ?? id).join(', ') },
  { header: 'client', value: (b) => b.client.name },
  { header: 'phone', value: (b) => b.client.phone ?? b.contactPhone ?? '' },
  { header: 'price', value: (b) => b.price },
  { header: 'source', value: (b) => b.source },
  { header: 'comment', value: (b) => b.comment },
  { header: 'cancel_reason', value: (b) => b.cancelReason ?? '' },
  { header: 'created_at', value: (b, tz) => DateTime.fromISO(b.createdAt, { zone: tz }).toFormat('yyyy-MM-dd HH:mm') },
];

const csvCell = (v: string | number) => {
  const s = String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function bookingsCsv(items: BookingView[], tz: string, resources: Map<string, string>): string {
  const lines = [COLUMNS.map((c) => c.header).join(','), ...items.map((b) => COLUMNS.map((c) => csvCell(c.value(b, tz, resources))).join(','))];
  // BOM so Excel opens Cyrillic UTF-8 correctly.
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export async function bookingsXlsx(items: BookingView[], tz: string, resources: Map<string, string>): Promise<Buffer> {
  // Loaded on the first export: the library costs a third of a second at every start otherwise.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('bookings');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.header, width: Math.max(12, c.header.length + 2) }));
  for (const b of items) ws.addRow(COLUMNS.map((c) => c.value(b, tz, resources)));
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
