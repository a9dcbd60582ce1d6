import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../core/run/search-attributes.js';
import { serverTarget } from './connection.js';

// CommonJS package: its namespaces come through the default export under ESM.
const { temporal } = proto;

const TYPES = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  KeywordList: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
} as const;

/**
 * Registers the Ouro search attributes that the namespace lacks. A workflow
 * that upserts an unknown attribute is stuck retrying its task, so workers
 * check at start: a dev-server database from an older Ouro, or a fresh
 * cluster, gets what it needs. Without the permission (e.g. Temporal Cloud,
 * where attributes are added in the console) it returns what is missing.
 */
export async function ensureSearchAttributes(address = serverTarget().address, namespace = serverTarget().namespace): Promise<string[]> {
  const t = serverTarget();
  const connection = await Connection.connect({ address, apiKey: t.apiKey, tls: t.tls as never, metadata: t.metadata });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = SEARCH_ATTRIBUTES.filter((a) => !known.has(a.name));
    if (missing.length === 0) return [];
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((a) => [a.name, TYPES[a.type]])),
      });
      return [];
    } catch {
      return missing.map((a) => a.name);
    }
  } finally {
    await connection.close();
  }
}
