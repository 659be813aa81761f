import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Forge's key-value storage for the hosted app, kept in memory and, with `emulate --data <dir>`, in
 * `<dir>/forge-storage.json` across runs. One store behind both of Forge's front doors, as on Forge (data written
 * with one is read by the other): the KVS REST API that `@forge/kvs` calls (`/api/v1/get|set|delete|query`, secrets
 * under `/api/v1/secret/…`), and the GraphQL API that the legacy `storage` of `@forge/api` 7 (`@forge/storage`)
 * calls. Custom entities, batches and transactions are not emulated: they answer an error that says so.
 */
export interface ForgeStorage {
  /** A `@forge/kvs` request: path under the KVS API, JSON body. */
  kvs(path: string, body: unknown): Promise<Response>;
  /** A legacy `storage` request to `/forge/entities/graphql`. */
  graphql(body: unknown): Promise<Response>;
  /** The stored value of a key (tests, the page's tools). */
  peek(key: string): unknown;
}

interface Entry {
  value: unknown;
  createdAt: number;
  updatedAt: number;
}

type Namespace = 'plain' | 'secret';

/** Forge's limits: keys of 1 to 500 characters; a query returns at most 100 per page (default 10). */
const MAX_KEY_LENGTH = 500;
const DEFAULT_QUERY_LIMIT = 10;
const MAX_QUERY_LIMIT = 100;
/** Forge's value limit (240 KiB of JSON). */
const MAX_VALUE_BYTES = 240 * 1024;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const kvsError = (status: number, code: string, message: string) => json(status, { code, message });

class StorageRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || key.trim() === '')
    throw new StorageRefusal('INVALID_KEY', `a key is a string of 1 to ${MAX_KEY_LENGTH} characters`);
  return key;
}

function checkValue(value: unknown): unknown {
  if (value === undefined) throw new StorageRefusal('INVALID_VALUE', 'a value is required');
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_VALUE_BYTES)
    throw new StorageRefusal('INVALID_VALUE', `a value is at most ${MAX_VALUE_BYTES} bytes of JSON`);
  return value;
}

/** `where: [{ property: 'key', condition, values }]` of a KVS query, on keys (the only property plain keys have). */
function keyMatches(key: string, where: unknown): boolean {
  for (const clause of Array.isArray(where) ? where : []) {
    const { condition, values } = (clause ?? {}) as { condition?: unknown; values?: unknown[] };
    const [first, second] = Array.isArray(values) ? values.map(String) : [];
    if (condition === 'BEGINS_WITH' && !key.startsWith(first ?? '')) return false;
    if (condition === 'BETWEEN' && !(key >= (first ?? '') && key <= (second ?? ''))) return false;
    if (condition === 'EQUAL_TO' && key !== first) return false;
    if (condition === 'GREATER_THAN' && !(key > (first ?? ''))) return false;
    if (condition === 'GREATER_THAN_EQUAL_TO' && !(key >= (first ?? ''))) return false;
    if (condition === 'LESS_THAN' && !(key < (first ?? ''))) return false;
    if (condition === 'LESS_THAN_EQUAL_TO' && !(key <= (first ?? ''))) return false;
  }
  return true;
}

/** The legacy API's `where: [{ field: 'key', condition: 'STARTS_WITH', value }]`. */
function legacyKeyMatches(key: string, where: unknown): boolean {
  for (const clause of Array.isArray(where) ? where : []) {
    const { condition, value } = (clause ?? {}) as { condition?: unknown; value?: unknown };
    if (condition === 'STARTS_WITH' && !key.startsWith(String(value))) return false;
  }
  return true;
}

const cursorOf = (key: string) => Buffer.from(key).toString('base64url');
const keyOfCursor = (cursor: unknown) =>
  typeof cursor === 'string' && cursor ? Buffer.from(cursor, 'base64url').toString() : undefined;

export async function createForgeStorage(options: { file?: string } = {}): Promise<ForgeStorage> {
  const stores: Record<Namespace, Map<string, Entry>> = { plain: new Map(), secret: new Map() };
  if (options.file) {
    try {
      const kept = JSON.parse(await readFile(options.file, 'utf8')) as Partial<Record<Namespace, [string, Entry][]>>;
      for (const namespace of ['plain', 'secret'] as const) {
        for (const [key, entry] of Array.isArray(kept[namespace]) ? kept[namespace] : [])
          stores[namespace].set(key, entry);
      }
    } catch {
      // Nothing kept yet (or not ours): start empty.
    }
  }
  // Writes go one after another, each the whole store, through a temporary file: a crash never leaves half a file.
  let writing: Promise<void> = Promise.resolve();
  function persist(): void {
    const file = options.file;
    if (!file) return;
    const snapshot = JSON.stringify({ plain: [...stores.plain], secret: [...stores.secret] });
    writing = writing.then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, snapshot, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    });
    writing.catch(() => {});
  }

  function set(namespace: Namespace, key: unknown, value: unknown): Entry & { key: string } {
    const checkedKey = checkKey(key);
    const now = Date.now();
    const entry = {
      value: checkValue(value),
      createdAt: stores[namespace].get(checkedKey)?.createdAt ?? now,
      updatedAt: now,
    };
    stores[namespace].set(checkedKey, entry);
    persist();
    return { key: checkedKey, ...entry };
  }

  function remove(namespace: Namespace, key: unknown): void {
    if (stores[namespace].delete(checkKey(key))) persist();
  }

  function page(namespace: Namespace, matches: (key: string) => boolean, after: string | undefined, limit: unknown) {
    const size = Math.min(Math.max(Number(limit) || DEFAULT_QUERY_LIMIT, 1), MAX_QUERY_LIMIT);
    const keys = [...stores[namespace].keys()]
      .filter((key) => matches(key) && (after === undefined || key > after))
      .sort();
    const shown = keys.slice(0, size);
    return { shown, more: keys.length > shown.length };
  }

  async function kvs(requestPath: string, body: unknown): Promise<Response> {
    const input = (body ?? {}) as Record<string, unknown>;
    const namespace: Namespace = requestPath.startsWith('/api/v1/secret/') ? 'secret' : 'plain';
    const operation = requestPath.replace(/^\/api\/v1\/(secret\/)?/, '');
    try {
      switch (operation) {
        case 'get': {
          const key = checkKey(input.key);
          const entry = stores[namespace].get(key);
          if (!entry) return kvsError(404, 'KEY_NOT_FOUND', `no value for the key "${key}"`);
          return json(200, { key, value: entry.value, createdAt: entry.createdAt, updatedAt: entry.updatedAt });
        }
        case 'set': {
          const entry = set(namespace, input.key, input.value);
          return input.options ? json(200, entry) : new Response(null, { status: 204 });
        }
        case 'delete':
          remove(namespace, input.key);
          return new Response(null, { status: 204 });
        case 'query': {
          if (namespace === 'secret') break;
          const { shown, more } = page(
            'plain',
            (key) => keyMatches(key, input.where),
            keyOfCursor(input.after),
            input.limit,
          );
          const last = shown[shown.length - 1];
          return json(200, {
            data: shown.map((key) => ({ key, value: stores.plain.get(key)!.value })),
            ...(more && last !== undefined ? { cursor: cursorOf(last) } : {}),
          });
        }
      }
    } catch (error) {
      if (error instanceof StorageRefusal) return kvsError(400, error.code, error.message);
      throw error;
    }
    return kvsError(
      501,
      'NOT_EMULATED',
      `Forge KVS ${requestPath} is not emulated by the Confluence emulator (get, set, delete and query are)`,
    );
  }

  /** The legacy API's GraphQL: which operation, told by the field its query names. */
  async function graphql(body: unknown): Promise<Response> {
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    const text = typeof query === 'string' ? query : '';
    const input = (variables?.input ?? {}) as Record<string, unknown>;
    const mutationResult = (namespace: string, field: string) => ({
      data: { [namespace]: { [field]: { success: true, errors: null } } },
    });
    try {
      if (text.includes('setAppStoredEntity(')) {
        set(input.encrypted ? 'secret' : 'plain', input.key, input.value);
        return json(200, mutationResult('appStorage', 'setAppStoredEntity'));
      }
      if (text.includes('deleteAppStoredEntity(')) {
        remove(input.encrypted ? 'secret' : 'plain', input.key);
        return json(200, mutationResult('appStorage', 'deleteAppStoredEntity'));
      }
      if (text.includes('appStoredEntity(')) {
        const key = checkKey(variables?.key);
        const entry = stores[variables?.encrypted ? 'secret' : 'plain'].get(key);
        return json(200, { data: { appStoredEntity: { key, value: entry?.value ?? null } } });
      }
      if (text.includes('appStoredEntities(')) {
        const { shown } = page(
          'plain',
          (key) => legacyKeyMatches(key, variables?.where),
          keyOfCursor(variables?.cursor),
          variables?.limit,
        );
        const edges = shown.map((key) => ({
          node: { key, value: stores.plain.get(key)!.value },
          cursor: cursorOf(key),
        }));
        return json(200, { data: { appStoredEntities: { edges } } });
      }
    } catch (error) {
      if (error instanceof StorageRefusal)
        return json(200, { errors: [{ message: error.message, extensions: { errorType: error.code } }] });
      throw error;
    }
    return json(200, {
      errors: [
        {
          message: 'This Forge storage operation (custom entities) is not emulated by the Confluence emulator',
          extensions: { errorType: 'NOT_EMULATED' },
        },
      ],
    });
  }

  return { kvs, graphql, peek: (key) => stores.plain.get(key)?.value };
}
