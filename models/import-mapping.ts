import { z } from "zod";

const Column = z.string().min(1).max(200).describe("A column header of the file, exactly as written (after trimming).");

export const AccountColumns = z
  .strictObject({
    id: Column.describe("The account's id (required): Salesforce `Id`, HubSpot `Record ID`."),
    name: Column.optional().describe("The account's name, used to find likely duplicate accounts: `Name`, `Company name`."),
    owner: Column.optional().describe("The account's current owner, a rep's id, name or email: `OwnerId`, `Company owner`."),
    value: Column.optional().describe("The account's value: `AnnualRevenue`, `Annual Revenue`; absent = every account is worth 1."),
    segment: Column.optional().describe("The segment the conversion model reads history in: `Industry`."),
    territory: Column.optional().describe("The account's territory."),
    workload: Column.optional().describe("Effort units the account costs a rep."),
    needs: Column.optional().describe("Specialties that make a rep a better fit, separated by `;` or `|`."),
    requires: Column.optional().describe("Specialties a rep must have, separated by `;` or `|`."),
    latitude: Column.optional().describe("Latitude in degrees: `BillingLatitude`."),
    longitude: Column.optional().describe("Longitude in degrees: `BillingLongitude`."),
  })
  .describe("Which column of the accounts file holds each field of a customer.");
export type AccountColumns = z.infer<typeof AccountColumns>;

export const RepColumns = z
  .strictObject({
    id: Column.describe("The rep's id (required): Salesforce user `Id`, HubSpot `Owner ID`."),
    name: Column.optional().describe("The rep's name: owners written as names in the other files are matched on it."),
    email: Column.optional().describe("The rep's email: owners written as emails are matched on it."),
    active: Column.optional().describe("Whether the rep takes accounts (`IsActive`): false, no, 0 or inactive = unavailable."),
    territories: Column.optional().describe("Territories the rep covers, separated by `;` or `|`."),
    specialties: Column.optional().describe("The rep's specialties, separated by `;` or `|`."),
    seniority: Column.optional().describe("The rep's seniority (a number)."),
    maxAccounts: Column.optional().describe("Most accounts the rep may take (an integer)."),
    minAccounts: Column.optional().describe("Fewest accounts the rep must take (an integer)."),
    maxWorkload: Column.optional().describe("Most workload units the rep may take."),
    quota: Column.optional().describe("The won value the rep is expected to reach."),
    latitude: Column.optional().describe("Where the rep works from: latitude in degrees."),
    longitude: Column.optional().describe("Where the rep works from: longitude in degrees."),
  })
  .describe("Which column of the reps file holds each field of a rep.");
export type RepColumns = z.infer<typeof RepColumns>;

export const ValueRule = z
  .strictObject({
    column: Column,
    values: z.array(z.string()).min(1).describe("The cell values that match, compared without case and surrounding spaces."),
  })
  .describe("A rule on one column: a row matches when its cell is one of the values.");
export type ValueRule = z.infer<typeof ValueRule>;

export const OpportunityColumns = z
  .strictObject({
    id: Column.optional().describe("The deal's id (`Id`, `Record ID`): duplicates are reported and counted once."),
    owner: Column.describe("Who worked the deal, a rep's id, name or email (required): `OwnerId`, `Deal owner`."),
    account: Column.optional().describe("The deal's account (`AccountId`, `Associated Company`): its segment is the account's."),
    segment: Column.optional().describe("The deal's segment, when the file has one (wins over the account's)."),
    amount: Column.optional().describe("The deal's amount (`Amount`): read and checked, not used by the conversion model."),
    closeDate: Column.optional().describe("When the deal closed (`CloseDate`, `Close Date`): read and checked."),
  })
  .describe("Which column of the opportunities file holds each field of a closed deal.");
export type OpportunityColumns = z.infer<typeof OpportunityColumns>;

export const ImportMapping = z
  .strictObject({
    source: z.enum(["salesforce", "hubspot", "custom"]).describe("Which header style was recognised (informative; `custom` when given or mixed)."),
    accounts: AccountColumns,
    reps: RepColumns,
    opportunities: z
      .strictObject({
        columns: OpportunityColumns,
        won: ValueRule.describe("What counts as won: e.g. `IsWon` in [true], or `StageName` in [Closed Won]."),
        closed: ValueRule.optional().describe("What counts as closed (e.g. `IsClosed` in [true]); other rows are open deals, reported and not counted. Absent = every row is a closed deal."),
      })
      .optional()
      .describe("The opportunities file's columns and the won rule; absent when no opportunities file is imported."),
  })
  .describe("Where each field of the plan comes from in the imported files. Returned by POST /v1/imports; send it back (edited or not) as `mapping` to import the same files the same way.");
export type ImportMapping = z.infer<typeof ImportMapping>;
