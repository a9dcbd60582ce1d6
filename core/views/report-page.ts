// One self-contained HTML page for a report (eval, evolve): a summary, each
// chart as inline SVG under its title, and the details folded away. No script.

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface ReportPage {
  title: string;
  /** The report's Markdown: its first fenced block is the page's summary. */
  markdown: string;
  charts: Array<{ title: string }>;
  svgs: string[];
  /** The folded-away part: the Markdown from this heading on, under this label. */
  details: { label: string; fromHeading: string };
}

export function reportPage(page: ReportPage): string {
  const summary = page.markdown.split('```')[1]?.trim() ?? '';
  const at = page.markdown.indexOf(page.details.fromHeading);
  const details = at >= 0 ? page.markdown.slice(at) : '';
  const charts = page.charts.map((c, i) => `<figure><figcaption>${escapeHtml(c.title)}</figcaption>${page.svgs[i] ?? ''}</figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem}pre{background:#f5f5f5;padding:1rem;overflow-x:auto}figure{display:inline-block;margin:1rem}figcaption{font-weight:600}</style>
</head><body>
<h1>${escapeHtml(page.title)}</h1>
<pre>${escapeHtml(summary)}</pre>
${charts}
<details><summary>${escapeHtml(page.details.label)}</summary><pre>${escapeHtml(details)}</pre></details>
</body></html>
`;
}
