#!/usr/bin/python3
"""Boot a real OpenStack Cinder (Debian's python3-cinder) in one process, for the interop job.

No Keystone, no message broker: noauth, sqlite in the state directory, oslo.messaging's in-memory
transport, and the fake volume driver that ships with Cinder. The API, the scheduler and the volume
service therefore have to live in this one process.

usage: /usr/bin/python3 launch.py --state-dir DIR --port PORT
"""
import argparse
import json
import os
import sys

import eventlet

eventlet.monkey_patch()

PASTE = """\
[composite:osapi_volume]
use = call:cinder.api:root_app_factory
/: apiversions
/v3: openstack_volume_api_v3

[composite:openstack_volume_api_v3]
use = call:cinder.api.middleware.auth:pipeline_factory
noauth = request_id cors http_proxy_to_wsgi faultwrap sizelimit osprofiler noauth apiv3

[filter:request_id]
paste.filter_factory = oslo_middleware.request_id:RequestId.factory

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = cinder

[filter:faultwrap]
paste.filter_factory = cinder.api.middleware.fault:FaultWrapper.factory

[filter:osprofiler]
paste.filter_factory = osprofiler.web:WsgiMiddleware.factory

[filter:noauth]
paste.filter_factory = cinder.api.middleware.auth:NoAuthMiddleware.factory

[filter:sizelimit]
paste.filter_factory = oslo_middleware.sizelimit:RequestBodySizeLimiter.factory

[app:apiv3]
paste.app_factory = cinder.api.v3.router:APIRouter.factory

[pipeline:apiversions]
pipeline = request_id cors http_proxy_to_wsgi faultwrap osvolumeversionapp

[app:osvolumeversionapp]
paste.app_factory = cinder.api.versions:Versions.factory
"""

CONF_TEMPLATE = """\
[DEFAULT]
auth_strategy = noauth
transport_url = fake:/
enabled_backends = fake
default_volume_type = __DEFAULT__
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = {port}
osapi_volume_workers = 1
api_paste_config = {state}/api-paste.ini
resource_query_filters_file = {state}/resource_filters.json
state_path = {state}
host = interop
log_file = {state}/cinder.log
debug = false

[database]
connection = sqlite:///{state}/cinder.sqlite

[oslo_concurrency]
lock_path = {state}/locks

[coordination]
backend_url = file://{state}/coordination

[oslo_messaging_notifications]
driver = noop

[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
target_helper = fake
"""


# The list filters a non-admin may use (Cinder ships this file in cinder-common, which the interop
# job does not install). Admin requests apply any filter key, listed or not.
RESOURCE_FILTERS = {
    'volume': ['name', 'status', 'metadata', 'bootable', 'migration_status', 'availability_zone', 'group_id', 'size', 'created_at', 'updated_at'],
    'snapshot': ['name', 'status', 'volume_id', 'metadata', 'availability_zone'],
}


def write_config(state, port):
    for sub in ('locks', 'coordination'):
        os.makedirs(os.path.join(state, sub), exist_ok=True)
    with open(os.path.join(state, 'api-paste.ini'), 'w') as f:
        f.write(PASTE)
    with open(os.path.join(state, 'resource_filters.json'), 'w') as f:
        json.dump(RESOURCE_FILTERS, f)
    path = os.path.join(state, 'cinder.conf')
    with open(path, 'w') as f:
        f.write(CONF_TEMPLATE.format(state=state, port=port))
    return path


def keep_own_service_id(service):
    """Cinder keeps a service's database id in a class attribute, one service per process. With
    three services here, the last one started would own every heartbeat and the volume service
    would look dead after a minute (every create then ends in `error`). Each instance restores its
    own id before it reports."""
    report_state = service.Service.report_state

    def own_report_state(self):
        service.Service.service_id = self.origin_service_id
        return report_state(self)

    service.Service.report_state = own_report_state


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--state-dir', required=True)
    parser.add_argument('--port', type=int, required=True)
    args = parser.parse_args()
    state = os.path.abspath(args.state_dir)
    conf_file = write_config(state, args.port)

    from oslo_config import cfg
    from oslo_log import log as logging

    from cinder import i18n
    i18n.enable_lazy()
    from cinder.common import config
    from cinder.common import constants
    from cinder import coordination
    from cinder.db import migration
    from cinder import objects
    from cinder import rpc
    from cinder import service
    from cinder import version

    conf = cfg.CONF
    objects.register_all()
    conf(['--config-file', conf_file], project='cinder', version=version.version_string())
    config.set_middleware_defaults()
    logging.setup(conf, 'cinder')
    migration.db_sync()
    keep_own_service_id(service)

    coordination.COORDINATOR.start()
    rpc.init(conf)
    # Cinder's own launcher forks a process per service; the in-memory transport needs them in one.
    from oslo_service import service as oslo_service
    launcher = oslo_service.ServiceLauncher(conf, restart_method='mutate')
    launcher.launch_service(service.Service.create(binary=constants.SCHEDULER_BINARY))
    launcher.launch_service(service.Service.create(
        host='%s@fake' % conf.host, service_name='fake', binary=constants.VOLUME_BINARY, coordination=True))
    api = service.WSGIService('osapi_volume')
    launcher.launch_service(api)
    print('cinder listening on http://127.0.0.1:%d' % args.port, flush=True)
    launcher.wait()


if __name__ == '__main__':
    sys.exit(main())
