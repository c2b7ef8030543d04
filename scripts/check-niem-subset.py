#!/usr/bin/env python3
"""Checks that schemas/niem is a true subset of the NIEM 6.0 reference schemas.

Usage: scripts/check-niem-subset.py REFERENCE_XSD_DIR [SUBSET_DIR]

REFERENCE_XSD_DIR is the xsd/ folder of niemopen/niem-model (NIEM 6.0). For every component of
the subset it checks that the reference has a component of the same kind and name in the same
namespace file, with the same type, base, substitution group, abstract and nillable settings;
that each complex type's particles appear in the reference type in the same order with the same
minOccurs/maxOccurs, inside the same compositors (sequence, choice, all) with the same
cardinality (leaving optional ones out is allowed, adding is not); that facets other than
enumerations are the reference's; that attributes and enumeration values are ones the reference
has. Exits 1 and names every difference.
"""
import sys, os
import xml.etree.ElementTree as ET

XS = '{http://www.w3.org/2001/XMLSchema}'
FILES = ['utility/structures.xsd', 'adapters/niem-xs.xsd', 'niem-core.xsd', 'domains/justice.xsd',
         'codes/iso_4217.xsd', 'codes/ucr.xsd']

def components(path):
    root = ET.parse(path).getroot()
    return {(child.tag, child.get('name')): child for child in root if child.get('name')}

COMPOSITORS = (XS + 'sequence', XS + 'choice', XS + 'all')
FACETS = ('pattern', 'length', 'minLength', 'maxLength', 'minInclusive', 'maxInclusive', 'minExclusive',
          'maxExclusive', 'totalDigits', 'fractionDigits', 'whiteSpace')

def particles(definition):
    """Each element particle with its cardinality and the compositors it sits in (sequence, choice, all)."""
    found = []
    def walk(node, path):
        for child in node:
            if child.tag == XS + 'element':
                found.append((child.get('ref'), child.get('minOccurs', '1'), child.get('maxOccurs', '1'), path))
            elif child.tag in COMPOSITORS:
                walk(child, path + (child.tag.replace(XS, '') + ':' + child.get('minOccurs', '1') + ':' + child.get('maxOccurs', '1'),))
            elif child.tag != XS + 'annotation':
                walk(child, path)
    walk(definition, ())
    return found

def facets(definition):
    return sorted((f.tag.replace(XS, ''), f.get('value')) for f in definition.iter() if f.tag.replace(XS, '') in FACETS)

def attributes(definition):
    return {(a.get('ref') or a.get('name'), a.get('use', 'optional')) for a in definition.iter(XS + 'attribute')} | \
           {('group:' + g.get('ref'), '') for g in definition.iter(XS + 'attributeGroup') if g.get('ref')} | \
           {('any:' + a.get('namespace', '##any') + ':' + a.get('processContents', 'strict'), '') for a in definition.iter(XS + 'anyAttribute')}

def bases(definition):
    return [(d.tag, d.get('base')) for d in definition.iter() if d.tag in (XS + 'extension', XS + 'restriction')]

def enumerations(definition):
    return [e.get('value') for e in definition.iter(XS + 'enumeration')]

def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    reference_dir = sys.argv[1]
    subset_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '..', 'schemas', 'niem')
    problems, checked = [], 0
    for name in FILES:
        subset = components(os.path.join(subset_dir, name))
        reference = components(os.path.join(reference_dir, name))
        for key, mine in subset.items():
            checked += 1
            where = f'{name}: {key[0].replace(XS, "xs:")} {key[1]}'
            theirs = reference.get(key)
            if theirs is None:
                problems.append(f'{where}: not in the reference (added component)')
                continue
            for attribute in ('type', 'substitutionGroup', 'abstract', 'nillable', 'default', 'mixed'):
                if mine.get(attribute) != theirs.get(attribute):
                    problems.append(f'{where}: {attribute} is {mine.get(attribute)!r}, reference has {theirs.get(attribute)!r}')
            if bases(mine) != bases(theirs):
                problems.append(f'{where}: derivation {bases(mine)} differs from the reference {bases(theirs)}')
            if facets(mine) != facets(theirs):
                problems.append(f'{where}: facets {facets(mine)} differ from the reference {facets(theirs)}')
            reference_particles = particles(theirs)
            position = 0
            for particle in particles(mine):
                while position < len(reference_particles) and reference_particles[position][0] != particle[0]:
                    if reference_particles[position][1] != '0':
                        problems.append(f'{where}: required particle {reference_particles[position][0]} left out')
                    position += 1
                if position == len(reference_particles):
                    problems.append(f'{where}: particle {particle[0]} is not in the reference, or out of order')
                    break
                if reference_particles[position] != particle:
                    problems.append(f'{where}: particle {particle} differs from the reference {reference_particles[position]}')
                position += 1
            for rest in reference_particles[position:]:
                if rest[1] != '0':
                    problems.append(f'{where}: required particle {rest[0]} left out')
            extra_attributes = attributes(mine) - attributes(theirs)
            if extra_attributes:
                problems.append(f'{where}: attributes not in the reference: {sorted(extra_attributes)}')
            missing_required = {a for a in attributes(theirs) - attributes(mine) if a[1] == 'required'}
            if missing_required:
                problems.append(f'{where}: required attributes left out: {sorted(missing_required)}')
            extra_values = set(enumerations(mine)) - set(enumerations(theirs))
            if extra_values:
                problems.append(f'{where}: enumeration values not in the reference: {sorted(extra_values)}')
    for problem in problems:
        print(problem)
    print(f'{checked} components checked against {reference_dir}: ' + ('a true subset' if not problems else f'{len(problems)} problems'))
    return 1 if problems else 0

if __name__ == '__main__':
    sys.exit(main())
