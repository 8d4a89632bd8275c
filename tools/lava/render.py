#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Prepare a LAVA job template and a device dictionary for lava-run.

  render.py job TEMPLATE OUT [FIELD=VALUE ...]
      fill the template's @FIELD@ marks; refuse a mark left unfilled; check
      the job against LAVA's own job schema (lava_common.schemas, as a
      server does on submit)
  render.py device DICTIONARY JOB OUT
      render a device dictionary the way lava-server does: jinja2 over the
      dictionary's directory and lava-server's device-types (DEVICE_TYPES,
      from tools/lava/device-types.sh), with the job's context as variables
"""
import os
import re
import sys

import jinja2
import yaml
from lava_common import schemas

MARK = re.compile(r'@([A-Z][A-Z0-9_]*)@')


def job(template, out, fields):
    text = open(template).read()
    values = dict(f.split('=', 1) for f in fields)
    unknown = set(values) - set(MARK.findall(text))
    if unknown:
        sys.exit('%s: no field %s' % (template, ', '.join(sorted(unknown))))
    text = MARK.sub(lambda m: values.get(m.group(1), m.group(0)), text)
    left = sorted(set(MARK.findall(text)))
    if left:
        sys.exit('%s: fill in %s' % (template, ', '.join('@%s@' % f for f in left)))
    check(template, text)
    open(out, 'w').write(text)


def check(name, text):
    try:
        schemas.validate(yaml.safe_load(text), strict=True)
    except Exception as exc:  # voluptuous raises its own Invalid classes
        sys.exit('%s: not a valid LAVA job: %s' % (name, exc))


def device(dictionary, jobfile, out):
    types = os.environ.get('DEVICE_TYPES')
    if not types:
        sys.exit('DEVICE_TYPES is not set (tools/lava/device-types.sh prints it)')
    context = yaml.safe_load(open(jobfile)).get('context', {})
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([os.path.dirname(os.path.abspath(dictionary)), types]),
        trim_blocks=True, autoescape=False)
    text = env.get_template(os.path.basename(dictionary)).render(**context)
    yaml.safe_load(text)
    open(out, 'w').write(text)


def main(argv):
    if len(argv) >= 3 and argv[0] == 'job':
        job(argv[1], argv[2], argv[3:])
    elif len(argv) == 4 and argv[0] == 'device':
        device(argv[1], argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
