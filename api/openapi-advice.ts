/** The OpenAPI components of the advice (`?advice=` on /v1/solve; models/advice.ts) and of soft fairness. */
import type { z } from "zod";
import * as models from "../models/index.ts";

type Entry = readonly [z.ZodType, { id: string }];

/** Request schemas (converted with io: "input"). */
export const ADVICE_INPUT_SCHEMAS: readonly Entry[] = [
  [models.FairnessMode, { id: "FairnessMode" }],
  [models.AdviceRequest, { id: "AdviceRequest" }],
  [models.RelaxationWeights, { id: "RelaxationWeights" }],
  [models.HireProfile, { id: "HireProfile" }],
];

/** Response schemas (converted with io: "output"). */
export const ADVICE_OUTPUT_SCHEMAS: readonly Entry[] = [
  [models.Advice, { id: "Advice" }],
  [models.AdvicePart, { id: "AdvicePart" }],
  [models.AdviceMethod, { id: "AdviceMethod" }],
  [models.CapacityValue, { id: "CapacityValue" }],
  [models.RepCapacityValue, { id: "RepCapacityValue" }],
  [models.TerritoryHireValue, { id: "TerritoryHireValue" }],
  [models.CapacityAdvice, { id: "CapacityAdvice" }],
  [models.RelaxationGroup, { id: "RelaxationGroup" }],
  [models.RelaxationChange, { id: "RelaxationChange" }],
  [models.RelaxedPlanAnswer, { id: "RelaxedPlanAnswer" }],
  [models.Relaxation, { id: "Relaxation" }],
  [models.RelaxationAdvice, { id: "RelaxationAdvice" }],
  [models.BandFrontierPoint, { id: "BandFrontierPoint" }],
  [models.OverrideCost, { id: "OverrideCost" }],
];
