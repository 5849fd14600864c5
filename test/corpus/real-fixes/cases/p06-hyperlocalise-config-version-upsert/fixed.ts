// hyperlocalise/hyperlocalise PR #800 (review; the fix it recommends): the settings row is upserted
// with `onConflictDoUpdate`, and the stored configVersion is raised by the database in the SET
// clause (`configVersion + 1`) instead of a version read first and incremented in the service.
import { sql } from 'drizzle-orm';
import { db, schema } from './db';

export interface RepositoryAutomationSettings {
  syncOnPush: boolean;
  schedule: string | null;
}

declare function computeNextRunAt(settings: RepositoryAutomationSettings, now: Date): Date | null;

export async function saveRepositoryAutomationSettings(githubInstallationRepositoryId: string, settings: RepositoryAutomationSettings) {
  const table = schema.githubRepositoryAutomationSettings;
  const nextRunAt = computeNextRunAt(settings, new Date());
  const [row] = await db
    .insert(table)
    .values({ githubInstallationRepositoryId, settings, configVersion: 1, nextRunAt })
    .onConflictDoUpdate({
      target: table.githubInstallationRepositoryId,
      set: {
        settings,
        configVersion: sql`${table.configVersion} + 1`,
        nextRunAt,
        updatedAt: new Date(),
      },
    })
    .returning({ configVersion: table.configVersion });
  return { configVersion: row.configVersion as number, nextRunAt };
}
