// calvinlfer/skull-island#12: the sync loop mapped the SNIs to async updates, dropped the
// returned promises and logged "complete" (and moved on to dependent steps) while the updates
// were still running.
interface Sni {
  name: string;
  certificateId: string;
}

declare const kong: { snis: { createOrUpdateSNI(sni: Sni): Promise<void> } };
declare function delay(ms: number): Promise<void>;

export async function synchronizeSnis(diskSNIs: Sni[], waitTimeInMs: number): Promise<void> {
  diskSNIs.map(async (sni) => {
//^ floating-promise
    await kong.snis.createOrUpdateSNI(sni).catch((err: { statusCode?: number; message: string }) => {
      if (err.statusCode !== 409) console.log('Error adding SNI', err.message);
    });
  });
  console.log('SNI updates complete');
  await delay(waitTimeInMs);
}
