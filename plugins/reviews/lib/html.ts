const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE = 'body{max-width:560px;margin:32px auto;padding:0 16px;font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1f2328}'
  + '.stars button{font-size:22px;padding:6px 10px;margin:0 4px 8px 0}.review{border-top:1px solid #ddd;padding:12px 0}.muted{color:#57606a;font-size:13px}'
  + 'textarea{width:100%;min-height:90px}';

/** A whole page of ours: no scripts at all, inline styles only (the CSP the routes send allows nothing else). */
export const page = (lang: string, title: string, body: string) => `<!doctype html>
<html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
