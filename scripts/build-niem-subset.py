#!/usr/bin/env python3
"""Builds a NIEM 6.0 subset for Haul's seized-property profile from a local copy of the release.

Usage: scripts/build-niem-subset.py REFERENCE_XSD_DIR DEST [SUBSET_DIR]

REFERENCE_XSD_DIR is the xsd/ folder of niemopen/niem-model (NIEM 6.0, ps02). DEST is a new or
empty folder. SUBSET_DIR (default schemas/niem) names the components the profile uses: the
subset Haul ships.

The shipped subset was written for Haul and does not copy the release's text, so its
definitions are shorter than the release's and its code values have none (NDR 6.0 rules 8-19
and 7-39), and its structures.xsd is cut down (rule 10-9: structures is used whole). This
script makes, in DEST, the subset a conformance checker expects, from the release itself:

- structures.xsd (and the utility schemas its documents point at) copied whole;
- in every other subset document, exactly the components the shipped subset has, each taken
  from the release with its definition, keeping the particles, attributes and enumeration
  values (each with its definition) the shipped subset keeps, in the release's order;
- the release's header, licence notice and namespace declarations kept; the conformance
  target made #SubsetSchemaDocument; imports kept for the namespaces the kept components use;
- the profile's extension schema (haul-seized-property.xsd) copied beside them.

Validate a Haul NIEM document against DEST/haul-seized-property.xsd. The result has the same
components, particles and values as the shipped subset, so both accept the same documents of
this profile; scripts/check-niem-subset.py REFERENCE_XSD_DIR DEST checks it against the release.
"""
import os
import re
import shutil
import sys
import xml.etree.ElementTree as ET

XS_NS = 'http://www.w3.org/2001/XMLSchema'
XS = '{' + XS_NS + '}'
PRUNED = ['adapters/niem-xs.xsd', 'niem-core.xsd', 'domains/justice.xsd', 'codes/iso_4217.xsd', 'codes/ucr.xsd']
WHOLE = ['utility/structures.xsd', 'utility/appinfo.xsd', 'utility/conformanceTargets.xsd']
EXTENSION = 'haul-seized-property.xsd'


def namespace_declarations(text):
    """The prefixes the root start tag declares, in order."""
    start = re.search(r'<xs:schema\b[^>]*>', text, re.S).group(0)
    return re.findall(r'xmlns:([\w.-]+)="([^"]*)"', start), start


def key(element):
    return (element.tag, element.get('name'))


def particle_key(element):
    return element.get('ref') or element.get('name')


def attribute_key(element):
    if element.tag == XS + 'anyAttribute':
        return 'any:' + element.get('namespace', '##any')
    return element.get('ref') or element.get('name')


def prune(theirs, mine):
    """Removes from the release's component what the shipped subset left out."""
    kept_particles = {particle_key(e) for e in mine.iter(XS + 'element')}
    kept_attributes = {attribute_key(e) for e in mine.iter() if e.tag in (XS + 'attribute', XS + 'anyAttribute')}
    kept_groups = {e.get('ref') for e in mine.iter(XS + 'attributeGroup')}
    kept_values = {e.get('value') for e in mine.iter(XS + 'enumeration')}
    for parent in list(theirs.iter()):
        for child in list(parent):
            if child.tag == XS + 'element' and particle_key(child) not in kept_particles:
                parent.remove(child)
            elif child.tag in (XS + 'attribute', XS + 'anyAttribute') and attribute_key(child) not in kept_attributes:
                parent.remove(child)
            elif child.tag == XS + 'attributeGroup' and child.get('ref') and child.get('ref') not in kept_groups:
                parent.remove(child)
            elif child.tag == XS + 'enumeration' and child.get('value') not in kept_values:
                parent.remove(child)


def used_prefixes(text):
    """Prefixes named in QName-valued attributes of the kept components."""
    names = re.findall(r'\b(?:ref|type|base|substitutionGroup|itemType)="([\w.-]+):', text)
    for members in re.findall(r'\bmemberTypes="([^"]*)"', text):
        names += [m.split(':')[0] for m in members.split() if ':' in m]
    return set(names)


def build(reference_dir, dest, subset_dir):
    problems = []
    for name in PRUNED:
        reference_path = os.path.join(reference_dir, name)
        text = open(reference_path, encoding='utf-8').read()
        declarations, start_tag = namespace_declarations(text)
        for prefix, uri in declarations:
            ET.register_namespace(prefix, uri)
        root = ET.parse(reference_path).getroot()
        mine = {key(c): c for c in ET.parse(os.path.join(subset_dir, name)).getroot() if c.get('name')}
        theirs = {key(c): c for c in root if c.get('name')}
        for wanted in mine:
            if wanted not in theirs:
                problems.append(f'{name}: {wanted[1]} is not in the release')
        kept = []
        for component in root:
            if component.get('name') and key(component) in mine:
                prune(component, mine[key(component)])
                kept.append(component)
        body = []
        for component in kept:
            serialized = ET.tostring(component, encoding='unicode', short_empty_elements=True)
            # Every prefix is declared on the schema element already.
            serialized = re.sub(r'\s+xmlns:[\w.-]+="[^"]*"', '', serialized, count=0)
            body.append('  ' + serialized.strip())
        prefixes = used_prefixes('\n'.join(body))
        uris = {uri for prefix, uri in declarations if prefix in prefixes}
        imports = [i for i in root if i.tag == XS + 'import' and i.get('namespace') in uris]
        import_lines = [f'  <xs:import namespace="{i.get("namespace")}" schemaLocation="{i.get("schemaLocation")}"/>' for i in imports]
        for i in imports:
            target = os.path.normpath(os.path.join(os.path.dirname(name), i.get('schemaLocation')))
            if target not in PRUNED and target not in WHOLE:
                WHOLE.append(target)
        annotation = root.find(XS + 'annotation')
        header = ''
        if annotation is not None:
            header = '  ' + re.sub(r'\s+xmlns:[\w.-]+="[^"]*"', '', ET.tostring(annotation, encoding='unicode')).strip()
        subset_start = start_tag.replace('#ReferenceSchemaDocument', '#SubsetSchemaDocument')
        if '#SubsetSchemaDocument' not in subset_start:
            problems.append(f'{name}: the release document declares no #ReferenceSchemaDocument conformance target')
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, 'w', encoding='utf-8') as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            out.write(f'<!-- Subset of NIEM 6.0 {name} for Haul\'s seized-property profile, built by\n'
                      f'     scripts/build-niem-subset.py from the release at {os.path.abspath(reference_dir)}. -->\n')
            out.write(subset_start + '\n')
            out.write('\n'.join(([header] if header else []) + import_lines + body) + '\n')
            out.write('</xs:schema>\n')
    for name in WHOLE:
        source = os.path.join(reference_dir, name)
        if not os.path.exists(source):
            problems.append(f'{name}: not in the release folder')
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
        shutil.copyfile(source, os.path.join(dest, name))
    shutil.copyfile(os.path.join(subset_dir, EXTENSION), os.path.join(dest, EXTENSION))
    return problems


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    reference_dir, dest = sys.argv[1], sys.argv[2]
    subset_dir = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'schemas', 'niem')
    if not os.path.exists(os.path.join(reference_dir, 'niem-core.xsd')):
        print(f'no niem-core.xsd in {reference_dir}: give the xsd/ folder of the NIEM 6.0 release', file=sys.stderr)
        return 1
    if os.path.exists(dest) and os.listdir(dest):
        print(f'{dest} is not empty: give a new or empty folder', file=sys.stderr)
        return 1
    os.makedirs(dest, exist_ok=True)
    problems = build(reference_dir, dest, subset_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f'NIEM 6.0 subset for the seized-property profile built in {dest}; validate with {os.path.join(dest, EXTENSION)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
