import { describe, expect, it } from 'vitest';
import { chooseLocalModel, DEFAULT_EMBEDDED_MODEL, draftingOf, draftTemperature, EMBEDDED_MODEL_IDS, EMBEDDED_MODELS } from '../../../core/models/catalog.js';
import { resolveProvider } from '../../../core/run/providers.js';

describe('the embedded model catalogue', () => {
  it.each(EMBEDDED_MODEL_IDS)('%s: its parts add up to the pinned file, each pinned by version, size and sha256', (id) => {
    const spec = EMBEDDED_MODELS[id];
    expect(spec.id).toBe(id);
    expect(spec.parts.reduce((n, p) => n + p.bytes, 0)).toBe(spec.bytes);
    for (const p of spec.parts) {
      expect(p.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.bytes).toBeGreaterThan(0);
    }
    expect(new Set(spec.parts.map((p) => p.package)).size).toBe(spec.parts.length);
    expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads OURO_LOCAL_MODEL as the default when unset or blank, a catalogue id, or a path to a GGUF drafted in chat style', () => {
    expect(chooseLocalModel(undefined)).toEqual({ kind: 'catalog', spec: DEFAULT_EMBEDDED_MODEL });
    expect(chooseLocalModel('  ')).toEqual({ kind: 'catalog', spec: DEFAULT_EMBEDDED_MODEL });
    expect(chooseLocalModel('smollm2-135m')).toMatchObject({ kind: 'catalog', spec: { id: 'smollm2-135m' } });
    const path = chooseLocalModel('/models/Qwen2.5-Coder-7B.gguf');
    expect(path).toMatchObject({ kind: 'path', path: '/models/Qwen2.5-Coder-7B.gguf' });
    expect(draftingOf(path).prompt).toBe('chat');
    expect(draftingOf(chooseLocalModel('smollm2-135m')).prompt).toBe('compact');
  });

  it('raises the temperature of later rounds, and of an evolve search’s programs after p1, to the retry temperature, never lowers it, and leaves first drafts and other ids alone', () => {
    const chat = EMBEDDED_MODELS['qwen2.5-coder-1.5b'].drafting;
    expect(draftTemperature(chat, 0.2, 'r1c1')).toBe(0.2);
    expect(draftTemperature(chat, 0.2, 'r2c1')).toBe(0.8);
    expect(draftTemperature(chat, 1.1, 'r3c2')).toBe(1.1);
    expect(draftTemperature(chat, 0.2, 'p1')).toBe(0.2);
    expect(draftTemperature(chat, 0.2, 'p7')).toBe(0.8);
    expect(draftTemperature(chat, 0.2, 'judge-3')).toBe(0.2);
    const compact = EMBEDDED_MODELS['smollm2-135m'].drafting;
    expect(draftTemperature(compact, 0.7, 'r3c1')).toBe(0.7);
  });

  it('gives a local slot the settings of the model OURO_LOCAL_MODEL names', () => {
    expect(resolveProvider('local', {}, {})).toMatchObject({ model: 'embedded', temperature: 0.2, maxOutputTokens: 1024 });
    expect(resolveProvider('local', {}, { OURO_LOCAL_MODEL: 'smollm2-135m' })).toMatchObject({ temperature: 0.7, maxOutputTokens: 768 });
  });
});
