/**
 * `weakened-monitoring`: the account's own record of what happens in it, turned off or narrowed:
 * a CloudTrail trail that stops logging, covers one region or no longer the global services, or
 * stops validating its log files; AWS Config recording stopped or narrowed; a GuardDuty detector
 * disabled. Each switch is judged by what it may be after the patch: a value cloudmend cannot
 * evaluate may be off. Deleting the trail, the recorder or the detector is `removed-resource`'s;
 * encryption of the logs is `weakened-encryption`'s.
 */
import { isList, optionsOf, shownVal, truth, type Val } from '../iac/values.js';
import { violation } from './facts.js';
import { at, type Resource, type Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { byKey } from './walk.js';

interface Switch {
  readonly types: RegExp;
  /** Through nested blocks or properties: `recording_group.all_supported`. */
  readonly path: string;
  /** What it being off means. */
  readonly off: string;
  /** The provider's or service's value when the setting is left out. */
  readonly unsetIsOn: boolean;
}

const TRAIL = /^aws_cloudtrail$/;
const CFN_TRAIL = /^AWS::CloudTrail::Trail$/;
const RECORDER = /^aws_config_configuration_recorder$/;
const CFN_RECORDER = /^AWS::Config::ConfigurationRecorder$/;

const SWITCHES: readonly Switch[] = [
  { types: TRAIL, path: 'enable_logging', off: 'the trail stops logging', unsetIsOn: true },
  { types: CFN_TRAIL, path: 'IsLogging', off: 'the trail stops logging', unsetIsOn: false },
  { types: TRAIL, path: 'is_multi_region_trail', off: 'the trail logs one region only', unsetIsOn: false },
  { types: CFN_TRAIL, path: 'IsMultiRegionTrail', off: 'the trail logs one region only', unsetIsOn: false },
  {
    types: TRAIL,
    path: 'include_global_service_events',
    off: 'the trail no longer logs IAM, STS and other global services',
    unsetIsOn: true,
  },
  {
    types: CFN_TRAIL,
    path: 'IncludeGlobalServiceEvents',
    off: 'the trail no longer logs IAM, STS and other global services',
    unsetIsOn: true,
  },
  { types: TRAIL, path: 'enable_log_file_validation', off: 'tampering with the trail’s log files goes unnoticed', unsetIsOn: false },
  { types: CFN_TRAIL, path: 'EnableLogFileValidation', off: 'tampering with the trail’s log files goes unnoticed', unsetIsOn: false },
  { types: /^aws_config_configuration_recorder_status$/, path: 'is_enabled', off: 'AWS Config stops recording', unsetIsOn: false },
  { types: RECORDER, path: 'recording_group.all_supported', off: 'AWS Config no longer records every resource type', unsetIsOn: true },
  {
    types: RECORDER,
    path: 'recording_group.include_global_resource_types',
    off: 'AWS Config no longer records IAM resources',
    unsetIsOn: false,
  },
  { types: CFN_RECORDER, path: 'RecordingGroup.AllSupported', off: 'AWS Config no longer records every resource type', unsetIsOn: false },
  {
    types: CFN_RECORDER,
    path: 'RecordingGroup.IncludeGlobalResourceTypes',
    off: 'AWS Config no longer records IAM resources',
    unsetIsOn: false,
  },
  { types: /^aws_guardduty_detector$/, path: 'enable', off: 'GuardDuty stops looking for threats', unsetIsOn: true },
  { types: /^AWS::GuardDuty::Detector$/, path: 'Enable', off: 'GuardDuty stops looking for threats', unsetIsOn: false },
];

/** The value at `path`, a nested block written once read through its list. */
function valueAt(r: Resource, path: readonly string[]): Val | undefined {
  let v: Val | undefined = r.props;
  for (const step of path) {
    const value: Val | undefined = at(v ?? null, [step]);
    v = isList(value) && value.length === 1 ? value[0] : value;
  }
  return v;
}

/** On, off, or either (undefined) when cloudmend cannot tell. */
function state(value: Val | undefined, unsetIsOn: boolean): boolean | undefined {
  if (value === undefined || value === null) return unsetIsOn;
  const options = optionsOf(value).map((o) => truth(o));
  return options.every((o) => o === true) ? true : options.every((o) => o === false) ? false : undefined;
}

/** Monitoring the patch turns off, narrows or makes uncertain. */
export function weakenedMonitoring(before: Side, after: Side): GuardrailViolation[] {
  const was = byKey(before.resources);
  return after.resources.flatMap((a) => {
    if (a.mode !== 'resource') return [];
    const b = was.get(a.key);
    return SWITCHES.filter((s) => s.types.test(a.type)).flatMap((s) => {
      const path = s.path.split('.');
      const now = valueAt(a, path);
      if (state(now, s.unsetIsOn) === true) return [];
      // A new resource is judged by what it writes: left out, a setting is the service's default.
      if (!b ? now === undefined : state(valueAt(b, path), s.unsetIsOn) !== true) return [];
      const line = a.lineOf(a.kind === 'cloudformation' ? ['Properties', ...path] : path);
      return [
        violation(
          'weakened-monitoring',
          a.file,
          `${a.id} ${now === undefined ? `leaves ${s.path} out` : `${b ? 'sets' : 'is new with'} ${s.path} ${b ? 'to ' : '= '}${shownVal(now)}`}: ${s.off}`,
          line,
        ),
      ];
    });
  });
}
