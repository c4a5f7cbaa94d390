import { PayloadError } from './connector.js';

/** Small readers for untrusted JSON: each names the path that was wrong in its error. */
export type Json = Record<string, unknown>;

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new PayloadError('body is not JSON');
  }
}

export function obj(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadError(`${path} must be an object`);
  }
  return value as Json;
}

export function arr(value: unknown, path: string, optional = false): unknown[] {
  if (value === undefined && optional) return [];
  if (!Array.isArray(value)) throw new PayloadError(`${path} must be an array`);
  return value;
}

export function str(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw new PayloadError(`${path} must be a non-empty string`);
  return value;
}

export function optStr(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new PayloadError(`${path} must be a string`);
  return value || undefined;
}

export function num(value: unknown, path: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new PayloadError(`${path} must be a number`);
  return n;
}

/** Unix seconds (number or numeric string) → Date. */
export function unixSeconds(value: unknown, path: string): Date {
  return new Date(num(value, path) * 1000);
}
