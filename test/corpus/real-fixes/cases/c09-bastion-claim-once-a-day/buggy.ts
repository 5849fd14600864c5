// TheBastionBot/Bastion PR #1104 (buggy twin): /claim reads the member, checks lastClaimed against
// today, then saves the credited document; two /claim invocations at once both pass the date
// check and each credits a reward.
import { ChatInputCommandInteraction, Command } from './discord.js';
import MemberModel, { MemberDocument } from './Member.js';

const getRandomInt = (min: number, max: number) => Math.floor(Math.random() * (max - min + 1)) + min;

const updateBalance = (memberDocument: MemberDocument, amount: number) => {
  memberDocument.balance = Math.max(0, memberDocument.balance + amount);
};

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
    const yesterday = ((d): Date => new Date(d.setDate(d.getDate() - 1)))(new Date());
    const lastClaimed = new Date(memberDocument.lastClaimed);

    // check whether already claimed today
    if (today.toDateString() === lastClaimed.toDateString()) return interaction.editReply('rewardsAlreadyClaimed');
    // otherwise, update last claim date to today
    memberDocument.lastClaimed = today.getTime();

    let rewardAmount = getRandomInt(42, 128);

    // reduce the reward into half if the user has been a member for less than 3 days
    if (today.getTime() - interaction.member.joinedTimestamp < 2592e5) {
      rewardAmount /= 2;
    }

    // increment claim streak, if they didn't miss their timeframe
    memberDocument.claimStreak = yesterday.toDateString() === lastClaimed.toDateString() ? memberDocument.claimStreak + 1 : 1;

    if (memberDocument.claimStreak === 7) {
      memberDocument.claimStreak = 0;
      rewardAmount += getRandomInt(512, 1024);
    }

    // double the reward for server boosters
    if (interaction.member.premiumSinceTimestamp) {
      rewardAmount *= 2;
    }

    // credit reward amount into member's account
    updateBalance(memberDocument, rewardAmount);

    // save document
    await memberDocument.save();
//        ^ check-then-act

    await interaction.editReply(`rewardsClaimed ${rewardAmount}`);
  }
}

export { ClaimCommand as Command };
