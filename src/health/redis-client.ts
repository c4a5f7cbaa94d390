/** Injection token for the small Redis client the health check pings. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
