import { rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uiBaseFor, webUiBase, webUiLink, type UiRecord } from '../../../cli/client.js';
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
  const none = (): UiRecord | undefined => undefined;

  it('follows the UI port a dev server started by `ouro dev --ui-port` recorded for its frontend port', async () => {
    delete process.env.OURO_UI_URL;
    expect(webUiBase(`127.0.0.1:${port}`)).toBeUndefined();
    await mkdir(dirname(uiPortsFile(port)), { recursive: true });
    await writeFile(uiPortsFile(port), JSON.stringify({ uiUrl: 'http://localhost:9345' }));
    expect(webUiBase(`127.0.0.1:${port}`)).toBe('http://localhost:9345');
    expect(webUiBase(`localhost:${port}`)).toBe('http://localhost:9345');
    expect(webUiLink('run 1', 'default', `127.0.0.1:${port}`)).toBe('http://localhost:9345/namespaces/default/workflows/run%201');
  });

  it('names no UI for a server it knows none of: a cluster, a remote server, a headless or unrecorded local one', () => {
    delete process.env.OURO_UI_URL;
    expect(uiBaseFor('127.0.0.1:7333', none)).toBeUndefined(); // `ouro cluster up`'s default port
    expect(uiBaseFor('temporal.internal:7233', none)).toBeUndefined();
    expect(uiBaseFor(`127.0.0.1:${port}`, none)).toBeUndefined();
    expect(webUiLink('r', 'default', '127.0.0.1:7333')).toBe("none known for 127.0.0.1:7333 (`ouro cluster` serves none; set OURO_UI_URL to a server's UI)");
    // A plain `temporal server start-dev` on its default port serves its UI on its default port.
    expect(uiBaseFor('127.0.0.1:7233', none)).toBe('http://localhost:8233');
    expect(uiBaseFor('127.0.0.1:7233', () => ({ uiUrl: 'http://localhost:9000' }))).toBe('http://localhost:9000');
  });

  it.each([
    ['not JSON', '{'],
    ['a number for the URL', '{"uiUrl": 5}'],
    ['a script URL', '{"uiUrl": "javascript:alert(1)"}'],
    ['a file URL', '{"uiUrl": "file:///etc/passwd"}'],
    ['no URL', '{}'],
  ])('reads a malformed record (%s) as no record', async (_what, text) => {
    delete process.env.OURO_UI_URL;
    await mkdir(dirname(uiPortsFile(port)), { recursive: true });
    await writeFile(uiPortsFile(port), text);
    expect(webUiBase(`127.0.0.1:${port}`)).toBeUndefined();
  });

  it('lets OURO_UI_URL win', () => {
    process.env.OURO_UI_URL = 'https://cloud.example/ui/';
    expect(webUiBase(`127.0.0.1:${port}`)).toBe('https://cloud.example/ui');
    expect(webUiBase('127.0.0.1:7333')).toBe('https://cloud.example/ui');
  });
});
