import { z } from 'zod';
import { applyMigrations, MigrationError } from '@app/db-migrate';
import { ConfigError, env, loadConfig } from '@app/nest-kit';

/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL, creating the database if
 * needed. The same migrations also work with `prisma migrate deploy` where Prisma's engine exists.
 */
const schema = z.object({
  DATABASE_URL: env.url(['mysql', 'mariadb']).default('mysql://root@127.0.0.1:3306/pos_cloud'),
  MIGRATIONS_DIR: z.string().default('prisma/migrations'),
});

try {
  const config = loadConfig('db:migrate', schema, process.env);
  const result = await applyMigrations({
    databaseUrl: config.DATABASE_URL,
    migrationsDir: config.MIGRATIONS_DIR,
    createDatabase: true,
    log: (message) => console.log(message),
  });
  console.log(`migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
