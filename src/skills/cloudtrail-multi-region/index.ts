/**
 * CloudTrail.1: at least one multi-Region trail that records read and write management events.
 * Per trail: `is_multi_region_trail` on, global service events not turned off (the API refuses a
 * multi-Region trail without them), and event selectors that leave all management events in.
 */
import { replaceScalar, setProperty, UnsupportedEditError } from '../../iac/cloudformation/edit.js';
import { nodeAt } from '../../iac/cloudformation/template.js';
import { setAttribute } from '../../iac/terraform/edit.js';
import { attribute, blocks } from '../../iac/terraform/hcl-structure.js';
import { cfnSetting, tfSetting, type Setting } from '../helpers.js';
import { defineSkill, type Violation } from '../types.js';
import { managementFindings, type TrailSelectors } from './events.js';
import { cfnSelectors, tfSelectors } from './read.js';

interface Names {
  readonly multiRegion: string;
  readonly globalEvents: string;
}

const TF: Names = { multiRegion: 'is_multi_region_trail', globalEvents: 'include_global_service_events' };
const CFN: Names = { multiRegion: 'IsMultiRegionTrail', globalEvents: 'IncludeGlobalServiceEvents' };

/** Where a setting is, and how to quote an expression cloudmend cannot evaluate. */
interface Where {
  readonly offsetOf: (setting: string) => number;
  readonly exprOf: (setting: string) => string;
}

/** The violations of one trail, whichever the IaC kind. */
function violationsOf(trail: string, names: Names, multi: Setting, global: Setting, selectors: TrailSelectors, where: Where): Violation[] {
  const { offsetOf, exprOf } = where;
  const v = (messageId: string, data: Record<string, string>, offset: number, fixable: boolean): Violation => ({
    messageId,
    data,
    resource: trail,
    offset,
    fixable,
    kind: 'violation',
  });
  const out: Violation[] = [];
  if (multi === 'unknown')
    out.push(v('settingUnknown', { setting: names.multiRegion, expr: exprOf(names.multiRegion) }, offsetOf(names.multiRegion), false));
  // With global events set by an unknown expression, turning multi-Region on could fail to apply.
  else if (multi !== 'on')
    out.push(
      v(
        'notMultiRegion',
        { trail, setting: names.multiRegion, state: multi === 'off' ? 'false' : 'not set (defaults to false)' },
        offsetOf(names.multiRegion),
        global !== 'unknown',
      ),
    );
  if (global === 'off') out.push(v('globalEventsOff', { setting: names.globalEvents }, offsetOf(names.globalEvents), true));
  if (global === 'unknown')
    out.push(v('settingUnknown', { setting: names.globalEvents, expr: exprOf(names.globalEvents) }, offsetOf(names.globalEvents), false));
  out.push(...managementFindings(trail, selectors).map((f) => v(f.messageId, f.data, f.offset, f.fixable)));
  return out;
}

function notes(trail: string, names: Names, ids: ReadonlySet<string>, selectors: readonly string[], hasData: boolean): string[] {
  const out: string[] = [];
  if (ids.has('notMultiRegion')) {
    const data = hasData ? ' Its data event selectors now match resources in every Region too, and data events are billed per event.' : '';
    out.push(
      `Made ${trail} a multi-Region trail (${names.multiRegion}): it now delivers events from every Region to the same destination, so expect more log volume (the first copy of management events is free).${data}`,
    );
  }
  if (ids.has('globalEventsOff'))
    out.push(`Turned ${names.globalEvents} on in ${trail}: a multi-Region trail must record global service events (IAM, STS, CloudFront).`);
  for (const s of selectors)
    out.push(`Set ${s} of ${trail} to record All management events, read and write: read events are usually the larger share.`);
  return out;
}

export default defineSkill({
  meta: {
    id: 'cloudtrail-multi-region',
    title: 'CloudTrail: multi-Region trail with read and write management events',
    controls: ['CloudTrail.1'],
    configRules: ['multi-region-cloudtrail-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      notMultiRegion: '{{setting}} is {{state}}: trail {{trail}} records events only in the Region it is created in.',
      settingUnknown:
        '{{setting}} is set to {{expr}}, which cloudmend cannot evaluate; make sure the trail is multi-Region and records all management events.',
      globalEventsOff: '{{setting}} is false: a multi-Region trail must record global service events (IAM, STS, CloudFront).',
      partialEvents:
        '{{selector}} records only {{recorded}} management events ({{setting}} is {{value}}): CloudTrail.1 wants read and write events.',
      partialEventsWithData:
        '{{selector}} records only {{recorded}} events ({{setting}} is {{value}}) and also selects data events: switching it to All would record {{missing}} data events too, billed per event. Add a selector for all management events, or change this one knowingly.',
      noManagementEvents:
        'No event selector of {{trail}} includes management events: CloudTrail.1 wants all read and write management events. If this trail is for data events only, make sure another multi-Region trail records management events.',
      excludedSources:
        '{{selector}} excludes management events from {{sources}} ({{setting}}): CloudTrail.1 fails while any source is excluded. Removing the exclusion can add a large volume of events, so a person decides.',
      advancedPartial:
        '{{selector}} selects management events but filters them by {{fields}}: CloudTrail.1 wants all read and write management events.',
      selectorsUnknown: 'The event selectors of {{trail}} are {{why}}: make sure one records all read and write management events.',
    },
  },

  terraform: {
    resourceTypes: ['aws_cloudtrail'],
    detect({ module, resource }) {
      const { body } = resource.block;
      const where: Where = {
        offsetOf: (name) => attribute(body, name)?.span.start ?? resource.block.span.start,
        exprOf: (name) => `\`${attribute(body, name)?.expr ?? ''}\``,
      };
      return violationsOf(
        resource.address,
        TF,
        tfSetting(module, body, TF.multiRegion),
        tfSetting(module, body, TF.globalEvents),
        tfSelectors(module, resource),
        where,
      );
    },
    fix({ module, resource }, violations) {
      const { file, block } = resource;
      const ids = new Set(violations.map((v) => v.messageId));
      const settings = [...(ids.has('notMultiRegion') ? [TF.multiRegion] : []), ...(ids.has('globalEventsOff') ? [TF.globalEvents] : [])];
      const edits = settings.map((s) => setAttribute(file, block, s, 'true'));
      const selectorBlocks = blocks(block.body, 'event_selector');
      const partial = violations.filter((v) => v.messageId === 'partialEvents');
      for (const v of partial) {
        const selector = selectorBlocks[Number(v.data?.index)];
        if (selector) edits.push(setAttribute(file, selector, 'read_write_type', '"All"'));
      }
      const hasData = tfSelectors(module, resource).basic.some((s) => s.hasData);
      return {
        edits,
        notes: notes(
          resource.address,
          TF,
          ids,
          partial.map((v) => v.data?.selector ?? ''),
          hasData,
        ),
      };
    },
  },

  cloudformation: {
    resourceTypes: ['AWS::CloudTrail::Trail'],
    detect({ resource }) {
      const where: Where = {
        offsetOf: (name) => nodeAt(resource, ['Properties', name])?.range?.[0] ?? resource.span.start,
        exprOf: () => 'an intrinsic function',
      };
      return violationsOf(
        resource.logicalId,
        CFN,
        cfnSetting(resource, ['Properties', CFN.multiRegion]),
        cfnSetting(resource, ['Properties', CFN.globalEvents]),
        cfnSelectors(resource),
        where,
      );
    },
    fix({ template, resource }, violations) {
      const ids = new Set(violations.map((v) => v.messageId));
      const settings = [...(ids.has('notMultiRegion') ? [CFN.multiRegion] : []), ...(ids.has('globalEventsOff') ? [CFN.globalEvents] : [])];
      const edits = settings.map((s) => setProperty(template, resource, ['Properties', s], true));
      const partial = violations.filter((v) => v.messageId === 'partialEvents');
      for (const v of partial) {
        const path = ['Properties', 'EventSelectors', Number(v.data?.index), 'ReadWriteType'];
        const edit = replaceScalar(template, nodeAt(resource, path), 'All');
        if (!edit) throw new UnsupportedEditError(`no value at ${path.join('.')} in ${template.path}`);
        edits.push(edit);
      }
      const hasData = cfnSelectors(resource).basic.some((s) => s.hasData);
      return {
        edits,
        notes: notes(
          resource.logicalId,
          CFN,
          ids,
          partial.map((v) => v.data?.selector ?? ''),
          hasData,
        ),
      };
    },
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_cloudtrail.Trail'],
    fix: () => [{ name: 'isMultiRegionTrail', value: true }],
  },
});
