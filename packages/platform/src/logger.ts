import { type Logger, pino } from 'pino';

/** Paths whose values never reach a log line: tokens, keys, passwords, auth headers. */
export const redactedPaths = [
  'token',
  'password',
  'secret',
  'apiKey',
  'authorization',
  'secretAccessKey',
  'uploadSigningKey',
  'provenance.key',
  '*.provenance.key',
  '*.token',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.authorization',
  '*.*.token',
  '*.*.password',
  '*.*.secret',
  '*.*.apiKey',
  '*.*.secretAccessKey',
  '*.uploadSigningKey',
  '*.*.*.clientSecret',
  'clientSecret',
  '*.clientSecret',
  'idToken',
  '*.idToken',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

export interface LoggerOptions {
  level?: string;
  /**
   * The role writing, e.g. `router`; every line carries it. A process running several roles leaves it
   * out and gives each role a child logger with its own, so no line names two roles.
   */
  role?: string;
  deployment?: string;
  /** Where lines go; stdout when not given (tests pass a stream to read them back). */
  destination?: NodeJS.WritableStream;
}

/** A pino logger that redacts secrets and names the role and deployment on every line. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: {
        ...(options.role ? { role: options.role } : {}),
        ...(options.deployment ? { deployment: options.deployment } : {}),
      },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  );
}

export type { Logger };
