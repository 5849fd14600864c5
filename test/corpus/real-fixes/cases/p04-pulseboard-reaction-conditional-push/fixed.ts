// freeCodeCamp-Summer-Cohort-2026/pulseboard issue #176 (the fix it specifies): the "not reacted
// yet" condition moves into the filter of one findOneAndUpdate, so the check and the push are one
// database operation; a null answer is told apart (404 or 409) by a second look-up.
import express from 'express';
import { Update } from './update-model';

export const router = express.Router();

router.post('/:id/reactions', async (req: any, res: any) => {
  const { emoji } = req.body as { emoji: string };
  const user = req.user.id as string;

  const updated = await Update.findOneAndUpdate(
    { _id: req.params.id, reactions: { $not: { $elemMatch: { user, emoji } } } },
    { $push: { reactions: { user, emoji } } },
    { new: true },
  );
  if (!updated) {
    const exists = await Update.exists({ _id: req.params.id });
    return res.status(exists ? 409 : 404).json({ error: exists ? 'Already reacted' : 'Update not found' });
  }
  return res.status(201).json(updated.reactions);
});
