// The repository map's pure logic: rank the files for a focus, render
// the map within a token budget. The parsing that fills a RepoMap is in adapters/repo-map/.

export { rankFiles } from './rank.js';
export { renderMap, type RenderedMap } from './render.js';
export { estimateTokens, CHARS_PER_TOKEN } from './tokens.js';
