// Sachinchaurasiya360/InternHack issue #1741 (buggy twin): the usageLimit middleware counts today's
// usage logs and lets the request through under the cap; the controller writes the log only after
// the work is done, so concurrent requests all read the same count and all pass.
import express, { type Request, type Response } from 'express';

type NextFunction = (err?: unknown) => void;
import { prisma, type UsageAction } from './db.js';

const DAILY_LIMITS: Record<UsageAction, Record<'FREE' | 'PREMIUM', number>> = {
  ATS_SCORE: { FREE: 3, PREMIUM: 50 },
  COVER_LETTER: { FREE: 3, PREMIUM: 50 },
  GENERATE_RESUME: { FREE: 2, PREMIUM: 30 },
  CODE_RUN: { FREE: 20, PREMIUM: 500 },
};

const getPlanTier = (plan: string, status: string) => (plan !== 'FREE' && status === 'ACTIVE' ? 'PREMIUM' : 'FREE');

type AuthedRequest = Request & { user?: { id: number }; usageInfo?: { used: number; limit: number } };

export function usageLimit(action: UsageAction) {
  return async (req: AuthedRequest, res: Response, next: NextFunction): Promise<void> => {
    if (!req.user) {
      res.status(401).json({ message: 'Authentication required' });
      return;
    }

    try {
      const startOfDay = new Date();
      startOfDay.setHours(0, 0, 0, 0);

      const [user, used] = await Promise.all([
        prisma.user.findUnique({ where: { id: req.user.id }, select: { subscriptionPlan: true, subscriptionStatus: true } }),
        prisma.usageLog.count({ where: { userId: req.user.id, action, createdAt: { gte: startOfDay } } }),
      ]);

      if (!user) {
        res.status(401).json({ message: 'User not found' });
        return;
      }

      const tier = getPlanTier(user.subscriptionPlan, user.subscriptionStatus);
      const limit = DAILY_LIMITS[action][tier];

      if (used >= limit) {
        res.status(429).json({ message: 'Daily limit reached.', usage: { used, limit, action, tier } });
        return;
      }

      req.usageInfo = { used, limit };
      next();
    } catch (err) {
      next(err);
    }
  };
}

export interface AtsService {
  scoreResume(userId: number, body: unknown): Promise<{ id: number; score: number; createdAt: Date }>;
}

export class AtsController {
  constructor(private readonly atsService: AtsService) {}

  async scoreResume(req: AuthedRequest, res: Response, next: NextFunction) {
    try {
      if (!req.user) {
        res.status(401).json({ message: 'Authentication required' });
        return;
      }

      const score = await this.atsService.scoreResume(req.user.id, req.body);

      await prisma.usageLog.create({ data: { userId: req.user.id, action: 'ATS_SCORE' } });
//          ^ check-then-act

      const usage = req.usageInfo ? { used: req.usageInfo.used + 1, limit: req.usageInfo.limit } : undefined;
      res.json({ score, usage });
    } catch (err) {
      next(err);
    }
  }
}

declare const atsService: AtsService;
const atsController = new AtsController(atsService);

export const atsRouter = express.Router();

atsRouter.post('/score', usageLimit('ATS_SCORE'), (req: AuthedRequest, res: Response, next: NextFunction) =>
  atsController.scoreResume(req, res, next),
);
