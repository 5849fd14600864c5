// mralexsaavedra/spotiarr before PR #177 (buggy twin): the track's status is read and checked,
// then set to Downloading after the read; two workers both see it not downloading and both
// download it, and the later terminal write clobbers the other.
import { PrismaClient } from '@prisma/client';

export enum TrackStatusEnum {
  New = 'new',
  Downloading = 'downloading',
  Completed = 'completed',
  Error = 'error',
}

declare function downloadAudio(trackId: string): Promise<string>;
declare function appendToPlaylistFile(trackId: string, file: string): Promise<void>;

export class DownloadTrackUseCase {
  constructor(private readonly prisma: PrismaClient) {}

  async execute(trackId: string): Promise<void> {
    const track = await this.prisma.track.findUnique({ where: { id: trackId } });
    if (!track || track.status === TrackStatusEnum.Downloading) return;
    await this.prisma.track.update({ where: { id: trackId }, data: { status: TrackStatusEnum.Downloading, startedAt: new Date() } });
//        ^ check-then-act

    try {
      const file = await downloadAudio(trackId);
      await this.prisma.track.update({ where: { id: trackId }, data: { status: TrackStatusEnum.Completed, file } });
      await appendToPlaylistFile(trackId, file);
    } catch (err) {
      await this.prisma.track.update({ where: { id: trackId }, data: { status: TrackStatusEnum.Error, error: String(err) } });
    }
  }
}
