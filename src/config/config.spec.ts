import { ConfigError, loadConfig } from './config.js';

const SECRET = 'x'.repeat(32);

/** The ConfigError `env` is refused with. */
function refusal(env: Record<string, string>, argv: string[] = []): ConfigError {
  try {
    loadConfig(env, argv);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig', () => {
  it('runs with no configuration against PostgreSQL and Redis on this machine', () => {
    const config = loadConfig({}, []);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/switchboard');
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', queuePrefix: 'switchboard' });
    expect(config.http).toEqual({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: undefined,
      corsOrigins: [],
      trustProxy: false,
    });
    expect(config.env).toBe('development');
    expect(config.demo).toBe(false);
    expect(config.auth.jwtSecret).toBeUndefined();
    expect(config.limits.socketPayloadBytes).toBe(64 * 1024);
    expect(config.rateLimitFactor).toBe(1);
    expect(config.routing).toEqual({ agentGraceMs: 30_000, sweepIntervalMs: 5_000, wrapUpSeconds: 0 });
    expect(config.storage).toEqual({ dir: 'var/storage', uploadMaxBytes: 10 * 1024 * 1024, fileUrlTtlSeconds: 600 });
  });

  it('reads every setting from the environment, converting units', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        HOST: '127.0.0.1',
        PUBLIC_URL: 'https://chat.acme.example',
        DATABASE_URL: 'postgres://sb:pw@db.internal:5433/sb',
        REDIS_URL: 'redis://cache.internal:6380/2',
        QUEUE_PREFIX: 'acme',
        JWT_SECRET: SECRET,
        JWT_TTL_SECONDS: '600',
        ADMIN_EMAIL: 'root@acme.example',
        ADMIN_PASSWORD: 'a-long-admin-password',
        CORS_ORIGINS: ' https://console.acme.example , https://ops.acme.example,, ',
        AGENT_GRACE_SECONDS: '12',
        ROUTING_SWEEP_SECONDS: '0.5',
        SOCKET_MAX_PAYLOAD_BYTES: '2048',
        RATE_LIMIT_FACTOR: '2.5',
        LOG_LEVEL: 'warn',
      },
      [],
    );
    expect(config).toMatchObject({
      env: 'production',
      http: {
        port: 8080,
        host: '127.0.0.1',
        publicUrl: 'https://chat.acme.example',
        corsOrigins: ['https://console.acme.example', 'https://ops.acme.example'],
      },
      database: { url: 'postgres://sb:pw@db.internal:5433/sb' },
      redis: { url: 'redis://cache.internal:6380/2', queuePrefix: 'acme' },
      auth: {
        jwtSecret: SECRET,
        jwtTtlSeconds: 600,
        adminEmail: 'root@acme.example',
        adminPassword: 'a-long-admin-password',
      },
      logLevel: 'warn',
      routing: { agentGraceMs: 12_000, sweepIntervalMs: 500 },
      limits: { socketPayloadBytes: 2048 },
      rateLimitFactor: 2.5,
    });
  });

  it('ignores unrelated variables of the process environment', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root', npm_config_foo: 'bar' }, [])).not.toThrow();
  });

  it('accepts PORT=0 (any free port), as tests and supervisors use it', () => {
    expect(loadConfig({ PORT: '0' }, []).http.port).toBe(0);
  });

  it.each(['http', '-1', '65536', '80.5'])('refuses PORT=%s, naming PORT', (port) => {
    const error = refusal({ PORT: port });
    expect(error.message).toMatch(/^Invalid configuration: .*PORT/);
  });

  it('does not turn an empty PORT (e.g. `PORT=${PORT}` with PORT unset) into a random port', () => {
    let port: number | undefined;
    try {
      port = loadConfig({ PORT: '' }, []).http.port;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/PORT/);
      return;
    }
    expect(port).toBe(3000);
  });

  it('refuses a JWT_SECRET shorter than 32 characters, saying how long it must be', () => {
    expect(refusal({ JWT_SECRET: 'x'.repeat(31) }).message).toContain(
      'JWT_SECRET: JWT_SECRET must be at least 32 characters',
    );
    expect(loadConfig({ JWT_SECRET: SECRET }, []).auth.jwtSecret).toBe(SECRET);
  });

  it.each(['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL'])(
    'refuses a %s that is not a URL, naming it',
    (name) => {
      expect(refusal({ [name]: 'localhost and port 5432' }).message).toMatch(new RegExp(`${name}:`));
    },
  );

  it('refuses an ADMIN_PASSWORD shorter than 12 and an ADMIN_EMAIL that is not an email', () => {
    expect(refusal({ ADMIN_PASSWORD: 'short' }).message).toContain(
      'ADMIN_PASSWORD must be at least 12 characters',
    );
    expect(refusal({ ADMIN_EMAIL: 'root' }).message).toMatch(/ADMIN_EMAIL:/);
  });

  it('refuses an unknown NODE_ENV or LOG_LEVEL', () => {
    expect(refusal({ NODE_ENV: 'staging' }).message).toMatch(/NODE_ENV:/);
    expect(refusal({ LOG_LEVEL: 'verbose' }).message).toMatch(/LOG_LEVEL:/);
  });

  it('refuses limits that would make the server unusable', () => {
    expect(refusal({ SOCKET_MAX_PAYLOAD_BYTES: '100' }).message).toMatch(/SOCKET_MAX_PAYLOAD_BYTES:/);
    expect(refusal({ RATE_LIMIT_FACTOR: '0' }).message).toMatch(/RATE_LIMIT_FACTOR:/);
    expect(refusal({ ROUTING_SWEEP_SECONDS: '0' }).message).toMatch(/ROUTING_SWEEP_SECONDS:/);
    expect(refusal({ JWT_TTL_SECONDS: '-5' }).message).toMatch(/JWT_TTL_SECONDS:/);
    expect(refusal({ AGENT_GRACE_SECONDS: '-1' }).message).toMatch(/AGENT_GRACE_SECONDS:/);
  });

  it('closes idle messaging conversations after a day and keeps data 30 days / uploads a day by default', () => {
    const config = loadConfig({}, []);
    expect(config.lifecycle).toMatchObject({ inactivityCloseMinutes: 30, imInactivityCloseHours: 24 });
    expect(config.housekeeping).toEqual({
      intervalMs: 3_600_000,
      rawEventRetentionDays: 30,
      uploadOrphanHours: 24,
      auditRetentionDays: 0,
    });
  });

  it('reads the inactivity and retention settings, 0 switching each off', () => {
    const config = loadConfig(
      {
        IM_INACTIVITY_CLOSE_HOURS: '0',
        RAW_EVENT_RETENTION_DAYS: '0',
        UPLOAD_ORPHAN_HOURS: '1.5',
        HOUSEKEEPING_INTERVAL_SECONDS: '90',
        AUDIT_RETENTION_DAYS: '400',
      },
      [],
    );
    expect(config.lifecycle.imInactivityCloseHours).toBe(0);
    expect(config.housekeeping).toEqual({
      intervalMs: 90_000,
      rawEventRetentionDays: 0,
      uploadOrphanHours: 1.5,
      auditRetentionDays: 400,
    });
  });

  it.each([
    ['IM_INACTIVITY_CLOSE_HOURS', '-1'],
    ['RAW_EVENT_RETENTION_DAYS', 'forever'],
    ['UPLOAD_ORPHAN_HOURS', '-0.5'],
    ['HOUSEKEEPING_INTERVAL_SECONDS', '0'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(refusal({ [name]: value }).message).toMatch(new RegExp(`${name}:`));
  });

  it('reports every invalid variable at once', () => {
    const { message } = refusal({ PORT: 'x', REDIS_URL: 'nope', JWT_SECRET: 'short' });
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/REDIS_URL:/);
    expect(message).toMatch(/JWT_SECRET:/);
  });

  it('refuses to run in production without JWT_SECRET', () => {
    const error = refusal({ NODE_ENV: 'production' });
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('Invalid configuration: JWT_SECRET is required when NODE_ENV=production');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }, []).env).toBe('production');
  });

  it('does not need JWT_SECRET outside production (a key is generated and kept in the database)', () => {
    expect(loadConfig({ NODE_ENV: 'development' }, []).auth.jwtSecret).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test' }, []).auth.jwtSecret).toBeUndefined();
  });

  describe('demo mode', () => {
    it('is on with the --demo argument', () => {
      expect(loadConfig({}, ['node', 'dist/src/main.js', '--demo']).demo).toBe(true);
    });

    it.each(['1', 'true', 'yes'])('is on with DEMO=%s', (value) => {
      expect(loadConfig({ DEMO: value }, []).demo).toBe(true);
    });

    it.each(['0', 'false', 'no'])('is off with DEMO=%s', (value) => {
      expect(loadConfig({ DEMO: value }, ['node', 'main.js']).demo).toBe(false);
    });

    it('is on when either asks for it', () => {
      expect(loadConfig({ DEMO: '0' }, ['--demo']).demo).toBe(true);
    });

    it('is not switched on by an argument that merely contains the word', () => {
      expect(loadConfig({}, ['node', 'main.js', '--demo-data=/tmp/x']).demo).toBe(false);
    });

    it('refuses a DEMO value it does not understand', () => {
      expect(refusal({ DEMO: 'on' }).message).toMatch(/DEMO:/);
    });
  });
});
