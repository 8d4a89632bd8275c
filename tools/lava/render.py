#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Prepare a LAVA job template and a device dictionary for lava-run.

  render.py job TEMPLATE OUT [FIELD=VALUE ...]
      fill the template's @FIELD@ marks; refuse a mark left unfilled; check
      the job against LAVA's own job schema (lava_common.schemas, as a
      server does on submit)
  render.py device DICTIONARY JOB OUT [FIELD=VALUE ...]
      fill the dictionary's marks the same way, then render it as
      lava-server does: jinja2 over the dictionary's directory,
      tools/lava/device-types/ and lava-server's device-types (DEVICE_TYPES,
      from tools/lava/device-types.sh), with the job's context as variables

Debian's python3 on purpose: lava_common, jinja2 and yaml come with
lava-dispatcher's packages.
"""
import os
import re
import sys

import jinja2
import yaml
from lava_common import schemas

MARK = re.compile(r'@([A-Z][A-Z0-9_]*)@')
HERE = os.path.dirname(os.path.abspath(__file__))


def fill(name, text, fields):
    values = dict(f.split('=', 1) for f in fields)
    unknown = set(values) - set(MARK.findall(text))
    if unknown:
        sys.exit('%s: no field %s' % (name, ', '.join(sorted(unknown))))
    text = MARK.sub(lambda m: values.get(m.group(1), m.group(0)), text)
    left = sorted(set(MARK.findall(text)))
    if left:
        sys.exit('%s: fill in %s' % (name, ', '.join('@%s@' % f for f in left)))
    return text


def job(template, out, fields):
    text = fill(template, open(template).read(), fields)
    try:
        schemas.validate(yaml.safe_load(text), strict=True)
    except Exception as exc:  # voluptuous raises its own Invalid classes
        sys.exit('%s: not a valid LAVA job: %s' % (template, exc))
    open(out, 'w').write(text)


def device(dictionary, jobfile, out, fields):
    types = os.environ.get('DEVICE_TYPES')
    if not types:
        sys.exit('DEVICE_TYPES is not set (tools/lava/device-types.sh prints it)')
    text = fill(dictionary, open(dictionary).read(), fields)
    context = yaml.safe_load(open(jobfile)).get('context', {})
    path = [os.path.dirname(os.path.abspath(dictionary)),
            os.path.join(HERE, 'device-types')] + types.split(':')
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(path),
                             trim_blocks=True, autoescape=False)
    text = env.from_string(text).render(**context)
    yaml.safe_load(text)
    open(out, 'w').write(text)


def main(argv):
    if len(argv) >= 3 and argv[0] == 'job':
        job(argv[1], argv[2], argv[3:])
    elif len(argv) >= 4 and argv[0] == 'device':
        device(argv[1], argv[2], argv[3], argv[4:])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
