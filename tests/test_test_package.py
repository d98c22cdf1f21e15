import pathlib

from odoo.tests import BaseCase, tagged

from .. import tests as package


@tagged("post_install", "-at_install")
class TestTestPackage(BaseCase):
    """Odoo's test runner runs only the test modules that tests/__init__.py
    imports (pytest-odoo finds the files by name): a module left out would be
    skipped by Odoo's runner, OCA's CI and every Odoo developer, silently."""

    def test_every_test_module_is_imported_by_the_package(self):
        folder = pathlib.Path(__file__).resolve().parent
        modules = sorted(path.stem for path in folder.glob("test_*.py"))
        self.assertIn("test_test_package", modules)
        missing = [name for name in modules if not hasattr(package, name)]
        self.assertEqual(missing, [], "add them to tests/__init__.py")
