// The parts of discord.js and @bastion/tesseract the claim command uses.
export interface ChatInputCommandInteraction {
  user: { id: string };
  guild: { id: string };
  member: { joinedTimestamp: number; premiumSinceTimestamp: number | null };
  deferReply(): Promise<void>;
  editReply(message: string | { content: string }): Promise<unknown>;
}

export abstract class Command {
  constructor(options: { name: string; description: string; scope: string });
  abstract exec(interaction: ChatInputCommandInteraction): Promise<unknown>;
}
