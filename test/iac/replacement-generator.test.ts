import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointerPath, readProviderSchemas } from '../../scripts/replacement/cloudformation.js';
import { readPackages } from '../../scripts/replacement/go-source.js';
import { extractTerraform } from '../../scripts/replacement/terraform-aws.js';
import type { ResourceReplacement } from '../../scripts/replacement/terraform-aws.js';

let root: string;

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

// A provider in miniature: the shapes the AWS provider's schemas take (constants of another
// package, helper functions, sync.OnceValue, CustomizeDiff, Plugin Framework plan modifiers).
const SERVICE = `package widget

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/customdiff"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-provider-aws/names"
	tftags "github.com/hashicorp/terraform-provider-aws/internal/tags"
)

const attrSize = "size"

func (p *servicePackage) SDKResources(ctx context.Context) []*types.ServicePackageSDKResource {
	return []*types.ServicePackageSDKResource{
		{Factory: resourceWidget, TypeName: "aws_widget", Name: "Widget"},
	}
}

func (p *servicePackage) FrameworkResources(ctx context.Context) []*types.ServicePackageFrameworkResource {
	return []*types.ServicePackageFrameworkResource{
		{Factory: newGadgetResource, TypeName: "aws_gadget"},
	}
}

func resourceWidget() *schema.Resource {
	return &schema.Resource{
		SchemaFunc: func() map[string]*schema.Schema {
			return map[string]*schema.Schema{
				names.AttrName: {Type: schema.TypeString, Required: true, ForceNew: true},
				attrSize:       {Type: schema.TypeInt, Optional: true},
				"disk": {
					Type: schema.TypeList,
					Elem: diskResource(),
				},
				names.AttrTags: tftags.TagsSchema(),
				"shape": {Type: schema.TypeString, ForceNew: isShapeFixed()},
			}
		},
		CustomizeDiff: customdiff.All(
			customdiff.ForceNewIfChange("disk.0.kind", kindShrinks),
			widgetDiff,
		),
	}
}

func diskResource() *schema.Resource {
	return &schema.Resource{Schema: map[string]*schema.Schema{
		"encrypted": {Type: schema.TypeBool, ForceNew: true},
		"kind":      {Type: schema.TypeString, Optional: true},
	}}
}

func widgetDiff(ctx context.Context, d *schema.ResourceDiff, meta any) error {
	if d.HasChange(attrSize) {
		return d.ForceNew(attrSize)
	}
	for _, k := range []string{"a", "b"} {
		d.ForceNew(k)
	}
	return nil
}

type gadgetResource struct {
	framework.ResourceWithModel[gadgetModel]
}

func newGadgetResource(context.Context) (resource.ResourceWithConfigure, error) {
	return &gadgetResource{}, nil
}

func (r *gadgetResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"zone": schema.StringAttribute{
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"mode": schema.StringAttribute{
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(modeChanges, "", "")},
			},
			names.AttrDescription: schema.StringAttribute{Optional: true},
		},
		Blocks: map[string]schema.Block{
			"network": schema.ListNestedBlock{
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"subnet": schema.StringAttribute{
							PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
						},
					},
				},
			},
		},
	}
}
`;

const TAGS = `package tags

var TagsSchema = sync.OnceValue(func() *schema.Schema {
	return &schema.Schema{Type: schema.TypeMap, Optional: true}
})
`;

const NAMES = `package names

const (
	AttrDescription = "description"
	AttrName        = "name"
	AttrTags        = "tags"
)
`;

let found: Map<string, ResourceReplacement>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cloudmend-replacement-'));
  write({
    'internal/service/widget/widget.go': SERVICE,
    'internal/tags/tags.go': TAGS,
    'names/attr_consts_gen.go': NAMES,
  });
  found = extractTerraform(readPackages([root]));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('terraform replacement extraction', () => {
  it('reads ForceNew attributes of SDKv2 schemas, nested ones through Elem helpers', () => {
    const widget = found.get('aws_widget')!;
    expect([...widget.replace].sort()).toEqual(['disk.encrypted', 'name']);
    expect(widget.seen).toEqual(new Set(['name', 'size', 'disk', 'disk.encrypted', 'disk.kind', 'tags', 'shape']));
  });

  it('keeps CustomizeDiff and non-literal ForceNew apart as conditional, counting unnamed ones', () => {
    const widget = found.get('aws_widget')!;
    expect([...widget.conditional].sort()).toEqual(['disk.kind', 'shape', 'size']);
    expect(widget.dynamic).toBe(1);
    expect(widget.unresolved).toEqual([]);
  });

  it('reads RequiresReplace plan modifiers of Plugin Framework resources, blocks included', () => {
    const gadget = found.get('aws_gadget')!;
    expect([...gadget.replace].sort()).toEqual(['network.subnet', 'zone']);
    expect([...gadget.conditional]).toEqual(['mode']);
    expect(gadget.framework).toBe(true);
  });
});

describe('cloudformation replacement extraction', () => {
  it('turns JSON pointers into dotted property paths', () => {
    expect(pointerPath('/properties/StorageEncrypted')).toBe('StorageEncrypted');
    expect(pointerPath('/properties/Foo/*/Bar')).toBe('Foo.*.Bar');
    expect(pointerPath('/properties/A~1B')).toBe('A/B');
    expect(() => pointerPath('/definitions/X')).toThrow(/not a property pointer/);
  });

  it('takes each type from the preferred region, else from another', () => {
    write({
      'schemas/providers/us_east_1.py': 'types: dict[str, str] = {\n    "AWS::A::One": "aa",\n    "Module": "cc",\n}\n',
      'schemas/providers/eu_west_1.py': 'types: dict[str, str] = {\n    "AWS::A::One": "bb",\n    "AWS::A::Two": "bb",\n}\n',
      'schemas/resources/aa.json': JSON.stringify({ typeName: 'AWS::A::One', createOnlyProperties: ['/properties/Name'] }),
      'schemas/resources/bb.json': JSON.stringify({ typeName: 'AWS::A::Two', conditionalCreateOnlyProperties: ['/properties/Size'] }),
    });
    const types = readProviderSchemas(join(root, 'schemas'));
    expect([...types.keys()].sort()).toEqual(['AWS::A::One', 'AWS::A::Two']);
    expect(types.get('AWS::A::One')).toEqual({ replace: ['Name'], conditional: [] });
    expect(types.get('AWS::A::Two')).toEqual({ replace: [], conditional: ['Size'] });
  });
});
