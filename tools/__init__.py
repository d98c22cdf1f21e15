from . import client_input
