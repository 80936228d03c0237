import { defineConfig } from 'prisma/config';

// Prisma 7 reads its settings here. The CLI's migrate commands need Prisma's native schema engine,
// which cannot be downloaded on machines without internet; there `npm run db:migrate` applies the
// same migrations through the project's own runner (apps/cloud/src/database/migrate.main.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/pos_cloud' },
});
