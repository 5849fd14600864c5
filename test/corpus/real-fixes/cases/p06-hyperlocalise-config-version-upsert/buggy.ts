// hyperlocalise/hyperlocalise PR #800 (buggy twin, the code the review points at): the service reads
// the row's configVersion, adds one, and upserts that number; two concurrent PUTs both write the
// same version, and a stale scheduled dispatch is taken for the current one.
import { eq } from 'drizzle-orm';
import { db, schema } from './db';

export interface RepositoryAutomationSettings {
  syncOnPush: boolean;
  schedule: string | null;
}

declare function computeNextRunAt(settings: RepositoryAutomationSettings, now: Date): Date | null;

export async function saveRepositoryAutomationSettings(githubInstallationRepositoryId: string, settings: RepositoryAutomationSettings) {
  const table = schema.githubRepositoryAutomationSettings;
  const [existing] = await db
    .select({ configVersion: table.configVersion })
    .from(table)
    .where(eq(table.githubInstallationRepositoryId, githubInstallationRepositoryId));
  const nextConfigVersion = (existing?.configVersion ?? 0) + 1;
  const nextRunAt = computeNextRunAt(settings, new Date());
  await db
  //  ^ lost-update
    .insert(table)
    .values({ githubInstallationRepositoryId, settings, configVersion: nextConfigVersion, nextRunAt })
    .onConflictDoUpdate({
      target: table.githubInstallationRepositoryId,
      set: { settings, configVersion: nextConfigVersion, nextRunAt, updatedAt: new Date() },
    });
  return { configVersion: nextConfigVersion, nextRunAt };
}
