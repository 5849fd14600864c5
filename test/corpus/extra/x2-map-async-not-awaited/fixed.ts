// Fix (the project's hotfix): await all the updates before reporting completion.
interface Sni {
  name: string;
  certificateId: string;
}

declare const kong: { snis: { createOrUpdateSNI(sni: Sni): Promise<void> } };
declare function delay(ms: number): Promise<void>;

export async function synchronizeSnis(diskSNIs: Sni[], waitTimeInMs: number): Promise<void> {
  await Promise.all(
    diskSNIs.map(async (sni) => {
      await kong.snis.createOrUpdateSNI(sni).catch((err: { statusCode?: number; message: string }) => {
        if (err.statusCode !== 409) console.log('Error adding SNI', err.message);
      });
    }),
  );
  console.log('SNI updates complete');
  await delay(waitTimeInMs);
}
