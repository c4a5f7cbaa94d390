import type { SupervisorSnapshot } from '../../realtime/contracts/supervisor.events.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Structural equality of JSON-like values (what a snapshot is made of). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const left = a as Record<string, Json>;
  const right = b as Record<string, Json>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && deepEqual(left[key], right[key]))
  );
}

/**
 * Whether a supervisor would see a difference. `at` is left out: it changes on every computation. Nothing
 * else ticks by itself (the longest wait is sent as a start time), so equal means "nothing happened".
 */
export function sameMetrics(a: SupervisorSnapshot, b: SupervisorSnapshot): boolean {
  const { at: _a, ...left } = a;
  const { at: _b, ...right } = b;
  return deepEqual(left, right);
}
