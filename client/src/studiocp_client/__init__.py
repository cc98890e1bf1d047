"""sdocker, the Studio Control Plane's client: a private remote Docker host for a SageMaker Studio
user, and (as they are added) Studio sessions, admin reports and SSH, all through the control
plane's signed API.

Runs in Studio and on laptops (Python 3.8+, standard library and botocore only). It talks only to
the API, signing with the caller's AWS credentials; the control plane makes every EC2, EFS and
SageMaker call. Users get it as one file, built from this package by client/build.py.
"""

PROGRAM = "sdocker"
VERSION = "1.0"
