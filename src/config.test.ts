import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('when nothing is set, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ port: 3000, publicUrl: 'http://localhost:3000', trustProxyHops: 0 });
    expect(config.database.url).toBeUndefined();
    expect(config.temporal.address).toBeUndefined();
    expect(config.temporal.tls).toBeUndefined();
    expect(config.mail.outboxDir).toBe(`${config.dataDir}/mail`);
  });

  it('when values are malformed, then every bad variable is named and no value is echoed', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url secret-password', LOG_LEVEL: 'loud', TRUST_PROXY_HOPS: '-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'TRUST_PROXY_HOPS']) expect(message).toContain(name);
    expect(message).not.toContain('secret-password');
  });

  it('when only half of a client certificate pair is given, then start-up stops naming both variables', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/etc/cert.pem' })).toThrow(/TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH/);
  });

  it('when an API key is set, then TLS is implied for the Temporal connection', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key' });
    expect(config.temporal.tls).toEqual({ certPath: undefined, keyPath: undefined, serverName: undefined });
    expect(config.temporal.apiKey).toBe('key');
  });

  it('when nothing is set, then /metrics listens on loopback only, without a token, and the worker bundles at start', () => {
    const config = loadConfig({});
    expect(config.metrics).toEqual({ host: '127.0.0.1', port: 9464, token: undefined, sdkPort: 9465 });
    expect(config.worker.bundlePath).toBeUndefined();
  });

  it('when METRICS_TOKEN is too short to be a secret, then start-up stops naming it and not echoing it', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short-tok' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-tok' })).not.toThrow(/short-tok/);
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-metrics-token' }).metrics.token).toBe('a-long-enough-metrics-token');
  });

  it('when PUBLIC_URL is https, then it is the public address', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://dk.mosreg.example', PORT: '8080' }).http).toEqual({ port: 8080, publicUrl: 'https://dk.mosreg.example', trustProxyHops: 0 });
  });

  describe('in production', () => {
    const production = { NODE_ENV: 'production', PAYLOAD_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}` };

    it('when PUBLIC_URL is missing or plain http to another host, then start-up stops naming it (the session cookie would not be Secure)', () => {
      expect(() => loadConfig(production)).toThrow(/PUBLIC_URL must be set in production/);
      expect(() => loadConfig({ ...production, PUBLIC_URL: 'http://dk.mosreg.example' })).toThrow(/PUBLIC_URL must be https in production/);
      expect(loadConfig({ ...production, PUBLIC_URL: 'https://dk.mosreg.example' }).http.publicUrl).toBe('https://dk.mosreg.example');
      expect(loadConfig({ ...production, PUBLIC_URL: 'http://localhost:3000' }).http.publicUrl).toBe('http://localhost:3000');
    });

    it('when nothing says otherwise, then no demo staff are seeded; administrators come from ADMIN_EMAILS', () => {
      const config = loadConfig({ ...production, PUBLIC_URL: 'https://dk.mosreg.example', ADMIN_EMAILS: ' Chief@Mosreg.example , second@mosreg.example' });
      expect(config.staff).toEqual({ demoAccounts: false, adminEmails: ['chief@mosreg.example', 'second@mosreg.example'] });
      expect(loadConfig({ ...production, PUBLIC_URL: 'https://dk.mosreg.example', SEED_DEMO_STAFF: 'true' }).staff.demoAccounts).toBe(true);
      const mistyped = () => loadConfig({ ...production, PUBLIC_URL: 'https://dk.mosreg.example', ADMIN_EMAILS: 'ok@mosreg.example, , chief.mosreg' });
      expect(mistyped).toThrow(/ADMIN_EMAILS: entry 3 is not an e-mail address/);
      expect(mistyped).not.toThrow(/chief/);
    });
  });

  it('when not in production, then the demo staff are seeded unless switched off', () => {
    expect(loadConfig({}).staff).toEqual({ demoAccounts: true, adminEmails: [] });
    expect(loadConfig({ SEED_DEMO_STAFF: 'false' }).staff.demoAccounts).toBe(false);
  });

  it('when SMTP_URL asks nodemailer to log the conversation, then start-up stops: the log would hold addresses and sign-in codes', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example:25/?debug=true&logger=true' })).toThrow(/SMTP_URL: debug, logger/);
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example:25/?pool=true' }).mail.smtpUrl).toBe('smtp://mail.example:25/?pool=true');
  });

  it('when the API stands behind proxies, then TRUST_PROXY_HOPS says how many', () => {
    expect(loadConfig({ TRUST_PROXY_HOPS: '2' }).http.trustProxyHops).toBe(2);
  });
});
