// TheBastionBot/Bastion PR #1104: the reward is credited with $inc and the streak fields set in one
// update that only matches while lastClaimed is still before today; no match means "already
// claimed".
import { ChatInputCommandInteraction, Command } from './discord.js';
import MemberModel from './Member.js';

const getRandomInt = (min: number, max: number) => Math.floor(Math.random() * (max - min + 1)) + min;

class ClaimCommand extends Command {
  constructor() {
    super({ name: 'claim', description: 'Claim any rewards available to you.', scope: 'guild' });
  }

  public async exec(interaction: ChatInputCommandInteraction): Promise<unknown> {
    await interaction.deferReply();

    // get the member document
    const memberDocument = await MemberModel.findOne({
      user: interaction.user.id,
      guild: interaction.guild.id,
    });

    // check whether user profile exists
    if (!memberDocument) {
      return interaction.editReply({ content: 'profileNotCreated' });
    }

    const today = new Date();
    const startOfToday = new Date(today.getFullYear(), today.getMonth(), today.getDate());
    const yesterday = ((d): Date => new Date(d.setDate(d.getDate() - 1)))(new Date());
    const lastClaimed = new Date(memberDocument.lastClaimed);

    // check whether already claimed today
    if (today.toDateString() === lastClaimed.toDateString()) return interaction.editReply('rewardsAlreadyClaimed');

    let rewardAmount = getRandomInt(42, 128);

    // reduce the reward into half if the user has been a member for less than 3 days
    if (today.getTime() - interaction.member.joinedTimestamp < 2592e5) {
      rewardAmount /= 2;
    }

    // increment claim streak, if they didn't miss their timeframe
    let claimStreak = yesterday.toDateString() === lastClaimed.toDateString() ? memberDocument.claimStreak + 1 : 1;

    if (claimStreak === 7) {
      claimStreak = 0;
      rewardAmount += getRandomInt(512, 1024);
    }

    // double the reward for server boosters
    if (interaction.member.premiumSinceTimestamp) {
      rewardAmount *= 2;
    }

    // credit the reward only if nobody claimed since the read
    const result = await MemberModel.updateOne(
      {
        user: interaction.user.id,
        guild: interaction.guild.id,
        lastClaimed: { $not: { $gte: startOfToday.getTime() } },
      },
      {
        $inc: { balance: rewardAmount },
        $set: { lastClaimed: today.getTime(), claimStreak },
      },
    );
    if (result.matchedCount === 0) return interaction.editReply('rewardsAlreadyClaimed');

    await interaction.editReply(`rewardsClaimed ${rewardAmount}`);
  }
}

export { ClaimCommand as Command };
