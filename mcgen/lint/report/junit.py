"""JUnit XML: one test suite per rule, one failing test case per error finding.

Warnings are passing test cases whose output names them, so CI test views list them
without failing the build; a rule with no findings is one passing case.
"""

from __future__ import annotations

from xml.etree import ElementTree

from mcgen.findings import Severity
from mcgen.lint.engine import LintResult
from mcgen.location import one_line


def render(result: LintResult) -> str:
    root = ElementTree.Element("testsuites", name="mcgen lint")
    for rule_id in sorted({*result.rules, *(f.rule for f in result.findings)}):
        found = [f for f in result.findings if f.rule == rule_id]
        errors = [f for f in found if f.severity is Severity.ERROR]
        suite = ElementTree.SubElement(root, "testsuite", name=rule_id,
                                       tests=str(max(len(found), 1)),
                                       failures=str(len(errors)), errors="0")
        if not found:
            ElementTree.SubElement(suite, "testcase", classname=rule_id, name="no findings")
        for finding in found:
            where = finding.location
            case = ElementTree.SubElement(suite, "testcase", classname=rule_id,
                                          name=str(where), file=one_line(where.path),
                                          line=str(where.line))
            if finding.severity is Severity.ERROR:
                # Control characters are not allowed in XML 1.0: escaped, as in text.
                failure = ElementTree.SubElement(case, "failure", message=one_line(finding.message),
                                                 type=rule_id)
                failure.text = str(finding)
            else:
                ElementTree.SubElement(case, "system-out").text = str(finding)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        root, encoding="unicode") + "\n"
