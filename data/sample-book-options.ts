import type { BookOptions } from "./book-generator.ts";

/**
 * The options that produce `data/sample-book.json` (regenerate with
 * `npm run --silent generate -- --sample --out data/sample-book.json`). A test checks that the
 * committed file is exactly `generateBook(SAMPLE_BOOK_OPTIONS)`, so change them here, not there.
 */
export const SAMPLE_BOOK_OPTIONS: BookOptions = {
  seed: 5,
  customers: 300,
  reps: 12,
  territories: 4,
  segments: 5,
  specialties: 6,
  history: true,
  currentOwners: 0.8,
  locations: true,
  workloads: true,
  capacitySlack: 1.15,
  policy: {
    territory: "hard",
    travelCostPerKm: 0.5,
    specialtyBonus: 0.25,
    stability: { movePenalty: 500 },
    fairness: { valueBand: 0.5 },
    timeLimitMs: 10000,
  },
};
