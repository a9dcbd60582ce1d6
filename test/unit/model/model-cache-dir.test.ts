import { describe, expect, it } from 'vitest';
import { modelPartsCacheDir } from '../../../adapters/model/model-file.js';

describe('modelPartsCacheDir', () => {
  it('is OURO_MODEL_CACHE, else under XDG_CACHE_HOME, else under ~/.cache', () => {
    expect(modelPartsCacheDir({ OURO_MODEL_CACHE: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(modelPartsCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/ouro/model-parts');
    expect(modelPartsCacheDir({})).toMatch(/\/\.cache\/ouro\/model-parts$/);
  });
});
