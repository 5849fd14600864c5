// mralexsaavedra/spotiarr PR #177 "idempotent terminal writes + download dedup" (reduction,
// fixed): a track is claimed with a conditional update (`updateMany` where the status is not yet
// Downloading, claimed when exactly one row changed), and the terminal status is written only if
// the track is still in the state this run put it in.
import { PrismaClient } from '@prisma/client';

export enum TrackStatusEnum {
  New = 'new',
  Downloading = 'downloading',
  Completed = 'completed',
  Error = 'error',
}

declare function downloadAudio(trackId: string): Promise<string>;
declare function appendToPlaylistFile(trackId: string, file: string): Promise<void>;

export class PrismaTrackRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async markDownloadingIfNotAlready(id: string): Promise<boolean> {
    const { count } = await this.prisma.track.updateMany({
      where: { id, status: { not: TrackStatusEnum.Downloading } },
      data: { status: TrackStatusEnum.Downloading, startedAt: new Date() },
    });
    return count === 1;
  }

  async updateStatusIf(id: string, expectedStatus: TrackStatusEnum, patch: { status: TrackStatusEnum; file?: string; error?: string }): Promise<boolean> {
    const { count } = await this.prisma.track.updateMany({ where: { id, status: expectedStatus }, data: patch });
    return count === 1;
  }
}

export class DownloadTrackUseCase {
  constructor(private readonly tracks: PrismaTrackRepository) {}

  async execute(trackId: string): Promise<void> {
    const claimed = await this.tracks.markDownloadingIfNotAlready(trackId);
    if (!claimed) return; // another worker is downloading it

    try {
      const file = await downloadAudio(trackId);
      const landed = await this.tracks.updateStatusIf(trackId, TrackStatusEnum.Downloading, { status: TrackStatusEnum.Completed, file });
      if (landed) await appendToPlaylistFile(trackId, file);
    } catch (err) {
      await this.tracks.updateStatusIf(trackId, TrackStatusEnum.Downloading, { status: TrackStatusEnum.Error, error: String(err) });
    }
  }
}
