import Hummingbird
import SLAKit
