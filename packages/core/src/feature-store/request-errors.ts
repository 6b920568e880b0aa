import { NotFoundError, ValueConversionError } from '../errors.js';

const list = (names: readonly string[]): string => (names.length ? names.join(', ') : '(none)');

/** `entityRows` is neither a list of objects nor columns of equal length. */
export class EntityRowsError extends ValueConversionError {
  constructor(message: string) {
    super(message);
  }
}

/** An entity row lacks a join key a requested feature view is keyed by. */
export class MissingJoinKeyError extends ValueConversionError {
  constructor(
    /** Index of the entity row. */
    readonly row: number,
    /** The missing join key. */
    readonly joinKey: string,
    /** The view that needs it. */
    readonly featureView: string,
    viewJoinKeys: readonly string[],
    rowKeys: readonly string[],
  ) {
    super(
      `Entity row ${row} has no value for join key "${joinKey}", which feature view "${featureView}" is keyed by (${list(viewJoinKeys)}). ` +
        `The row has: ${list(rowKeys)}. Add "${joinKey}" to every entity row.`,
    );
  }
}

/** A feature reference names a feature view that is not in the registry. */
export class FeatureViewNotFoundError extends NotFoundError {
  constructor(
    /** The view asked for. */
    readonly featureView: string,
    /** The views the registry has. */
    readonly known: readonly string[],
    project: string,
    /** What asked for it, such as `"stats:rate"` or `feature service "svc"`. */
    context?: string,
  ) {
    super(
      `Feature view "${featureView}" is not in the registry of project "${project}"${context ? ` (asked for by ${context})` : ''}. ` +
        (known.length ? `Known views: ${known.join(', ')}.` : 'Nothing has been applied yet: run apply first.'),
    );
  }
}

/** A feature reference names a feature its view does not have. */
export class FeatureNotFoundError extends NotFoundError {
  constructor(
    /** The view. */
    readonly featureView: string,
    /** The feature asked for. */
    readonly feature: string,
    /** The view's features. */
    readonly known: readonly string[],
    /** What asked for it. */
    context?: string,
  ) {
    super(`Feature view "${featureView}" has no feature "${feature}"${context ? ` (asked for by ${context})` : ''}. Its features: ${list(known)}.`);
  }
}

/** A feature service that is not in the registry. */
export class FeatureServiceNotFoundError extends NotFoundError {
  constructor(
    /** The service asked for. */
    readonly featureService: string,
    /** The services the registry has. */
    readonly known: readonly string[],
    project: string,
  ) {
    super(
      `Feature service "${featureService}" is not in the registry of project "${project}". ` +
        (known.length ? `Known feature services: ${known.join(', ')}.` : 'The project has no feature services.'),
    );
  }
}

/** A push source no feature view (or stream feature view) of the project is fed by, as Feast's `PushSourceNotFoundException`. */
export class PushSourceNotFoundError extends NotFoundError {
  constructor(
    /** The push source asked for. */
    readonly pushSource: string,
    /** The push sources that feed some view. */
    readonly known: readonly string[],
    project: string,
  ) {
    super(
      `No feature view of project "${project}" has push source "${pushSource}" as its stream source. ` +
        (known.length ? `Push sources that feed views: ${known.join(', ')}.` : 'No view of the project is fed by a push source.'),
    );
  }
}
