// Sachinchaurasiya360/InternHack PR for issue #1741 (commit 794b53e): the middleware counts and
// inserts the usage log in one serializable transaction; a serialization failure (P2034) becomes
// a 429, and the controllers no longer write the log.
import express, { type Request, type Response } from 'express';

type NextFunction = (err?: unknown) => void;
import { prisma, type TransactionClient, type UsageAction } from './db.js';

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

    const userId = req.user.id;
    const startOfDay = new Date();
    startOfDay.setHours(0, 0, 0, 0);

    try {
      // Serializable transaction prevents TOCTOU race: concurrent requests that race through the
      // count→insert path cause one to get a P2034 serialization failure.
      type TxResult =
        | { ok: true; used: number; limit: number }
        | { ok: false; reason: 'user_missing' | 'limit_reached'; used: number; limit: number };

      const result: TxResult = await prisma.$transaction(
        async (tx: TransactionClient) => {
          const [user, used] = await Promise.all([
            tx.user.findUnique({ where: { id: userId }, select: { subscriptionPlan: true, subscriptionStatus: true } }),
            tx.usageLog.count({ where: { userId, action, createdAt: { gte: startOfDay } } }),
          ]);

          if (!user) return { ok: false, reason: 'user_missing', used: 0, limit: 0 } as const;

          const tier = getPlanTier(user.subscriptionPlan, user.subscriptionStatus);
          const limit = DAILY_LIMITS[action][tier];

          if (used >= limit) return { ok: false, reason: 'limit_reached', used, limit } as const;

          await tx.usageLog.create({ data: { userId, action } });
          return { ok: true, used, limit } as const;
        },
        { isolationLevel: 'Serializable' },
      );

      if (!result.ok) {
        if (result.reason === 'user_missing') {
          res.status(401).json({ message: 'User not found' });
          return;
        }
        res.status(429).json({ message: 'Daily limit reached.', usage: { used: result.used, limit: result.limit, action } });
        return;
      }

      req.usageInfo = { used: result.used, limit: result.limit };
      next();
    } catch (err) {
      // P2034 = Prisma serialization failure — a concurrent request won the race.
      if (typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 'P2034') {
        res.status(429).json({ message: 'Too many concurrent requests. Please try again in a moment.', usage: { action } });
        return;
      }
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
