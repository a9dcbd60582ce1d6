import { rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { webUiBase } from '../../../cli/client.js';
import { uiPortsFile } from '../../../dev/dev-server.js';

describe('the Web UI link', () => {
  // Above 65535: no dev server can listen there, so the record this writes under .ouro/ is never a real one's.
  const port = 70_000 + Math.floor(Math.random() * 900);
  const saved = process.env.OURO_UI_URL;
  afterEach(async () => {
    if (saved === undefined) delete process.env.OURO_UI_URL;
    else process.env.OURO_UI_URL = saved;
    await rm(uiPortsFile(port), { force: true });
  });

  it('follows the UI port a dev server started by `ouro dev --ui-port` recorded for its frontend port', async () => {
    delete process.env.OURO_UI_URL;
    expect(webUiBase(`127.0.0.1:${port}`)).toBe('http://localhost:8233');
    await mkdir(dirname(uiPortsFile(port)), { recursive: true });
    await writeFile(uiPortsFile(port), JSON.stringify({ uiUrl: 'http://localhost:9345' }));
    expect(webUiBase(`127.0.0.1:${port}`)).toBe('http://localhost:9345');
    expect(webUiBase(`localhost:${port}`)).toBe('http://localhost:9345');
    expect(webUiBase('temporal.internal:7233')).toBe('http://localhost:8233');
  });

  it('lets OURO_UI_URL win', () => {
    process.env.OURO_UI_URL = 'https://cloud.example/ui/';
    expect(webUiBase(`127.0.0.1:${port}`)).toBe('https://cloud.example/ui');
  });
});
