// freeCodeCamp-Summer-Cohort-2026/pulseboard issue #176 (buggy twin): the route loads the update,
// checks in memory that this user has not reacted with this emoji, then pushes and saves. Two
// requests both pass the check and both reactions are stored.
import express from 'express';
import { Update } from './update-model';

export const router = express.Router();

router.post('/:id/reactions', async (req: any, res: any) => {
  const { emoji } = req.body as { emoji: string };
  const user = req.user.id as string;

  const update = await Update.findById(req.params.id);
  if (!update) return res.status(404).json({ error: 'Update not found' });
  if (update.reactions.some((r) => r.user === user && r.emoji === emoji)) {
    return res.status(409).json({ error: 'Already reacted' });
  }
  update.reactions.push({ user, emoji });
  await update.save();
  //    ^ check-then-act
  return res.status(201).json(update.reactions);
});
